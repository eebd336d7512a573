#pragma once
// The JSON of a reference comparison (`mixdown compare --json`, CLI.md's keys
// first) and of a saved target (`--save-target`, read back by `--target`):
// levels to 0.01 dB, correlations to 0.0001; a figure that does not exist
// (a band with no power) is null.
//
// A target file:
//   { "mixdown_target": 1, "references": [ names ],
//     "loudness": { "integrated_lufs", "loudness_range_lu", "true_peak_dbtp", "plr_db", "psr_db", "mono_fold_down_lu" },
//     "bands": [ { "low_hz", "high_hz", "mid_db", "side_db", "mid_p10_db", "mid_p50_db", "mid_p90_db",
//                  "correlation", "mono_loss_db" } ],
//     "broad_bands": [ the same, and "crest_db" ] }
// with every band level relative to the integrated loudness (dB re LUFS).

#include <filesystem>
#include <nlohmann/json.hpp>

#include "mixdown/analysis/reference_comparison.h"

namespace mixdown::analysis {

nlohmann::ordered_json comparisonJson(const ReferenceComparison& comparison);

nlohmann::ordered_json targetJson(const ReferenceTarget& target);

/** The target in document (read from path, named in errors); throws IoError naming the file and the JSON pointer. */
ReferenceTarget targetFromJson(const nlohmann::json& document, const std::filesystem::path& path);

}  // namespace mixdown::analysis
