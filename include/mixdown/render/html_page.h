#pragma once
// outputs.html: a page of the render a person looks at, written beside
// report.json from the same figures. Self-contained (inline CSS and SVG, no
// script, no font or image from anywhere) so it opens offline and can be
// mailed or committed; its bytes follow from the report alone, so a render
// repeated gives the same page and two pages diff as text.
//
// It shows the mix's figures and the warnings; the mix's momentary and
// short-term loudness over time with the target; the mix's spectrum (mid, per
// 1/3 octave) against the references; the broad bands against them; the
// masking heat map (tracks x regions) and the worst masker pairs; each
// track's and bus's peak and gain reduction; the stereo field per band
// (left/right correlation) and what the mono fold-down loses per band; every
// output file's figures. Charts are drawn as SVG by this file: a library
// would bring a script (and a page that needs it), and these few plots are a
// few lines each.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mixdown/analysis/loudness_meter.h"

namespace mixdown::render {

/** The page for report (report.json's object as written) and the mix's loudness readings (none: no mix). */
std::string htmlPage(const nlohmann::ordered_json& report, const std::vector<analysis::LoudnessReading>& mixLoudness);

}  // namespace mixdown::render
