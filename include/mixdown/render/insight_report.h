#pragma once
// report.json's "insight" section (SESSION.md 1.1, docs/insight.md): the
// masking analysis of the tracks (render/masking_tap.h) and the comparison of
// the mix, as written, with the session's references, loudness-matched
// (analysis/reference_comparison.h: the JSON of `mixdown compare --json`).

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "mixdown/analysis/masking_analysis.h"
#include "mixdown/analysis/reference_comparison.h"
#include "mixdown/render/render_warnings.h"
#include "mixdown/session/model.h"

namespace mixdown::render {

/**
 * The mix file at mixFile (a staged output, readable; shown as mixName)
 * against the session's references, over the bands both can measure (up to
 * the lowest Nyquist frequency). Throws IoError naming a reference that
 * cannot be read, std::invalid_argument for a silent mix or reference.
 */
analysis::ReferenceComparison compareMixWithReferences(const session::Session& session, const std::filesystem::path& mixFile,
                                                       const std::string& mixName);

/**
 * The section: "masking" (per track, CLI.md 1.1) and "masking_bands" when
 * masking was analysed; "references" (the comparison) when there is one, or
 * a note why there is none ("references_skipped").
 */
nlohmann::ordered_json insightSection(const session::Session& session, const std::optional<analysis::MaskingResult>& masking,
                                      const std::optional<analysis::ReferenceComparison>& comparison,
                                      const std::optional<std::string>& comparisonSkipped);

/**
 * The session's CI gates: a track masked for more than its masking limit
 * (insight.masking) and a broad band whose mid level differs from the
 * references' by more than reference_tolerance_db (insight.reference).
 */
void addInsightWarnings(const session::Session& session, const std::optional<analysis::MaskingResult>& masking,
                        const std::optional<analysis::ReferenceComparison>& comparison, RenderWarnings& warnings);

}  // namespace mixdown::render
