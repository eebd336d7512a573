#pragma once
// The JSON of a masking analysis, shared by `mixdown analyze --masking` and
// report.json's `insight.masking`: one entry per track (CLI.md 1.1's keys
// first), fractions to 0.001, seconds to 0.01, ratios to 0.1 dB.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "mixdown/analysis/masking_analysis.h"

namespace mixdown::analysis {

/** A tempo for bar:beat positions: beats per minute and per bar. */
struct BeatGrid {
  double bpm = 120.0;
  int beatsPerBar = 4;
};

/** "bar:beat" (1-based, the beat to 0.01) of a time in seconds: 4:2.5 is bar 4's third half beat. */
std::string barBeatText(double seconds, const BeatGrid& grid);

/**
 * The array of per-track entries: track, masked_fraction, maskers [{track,
 * share}], audible_s, median_msr_db, worst_ranges [{start_s, end_s, masked_s
 * (, start_bar_beat, end_bar_beat with a grid)}], regions [{region, low_hz,
 * high_hz, the same figures}], band_masked_fraction (per band, null where the
 * track is never audible).
 */
nlohmann::ordered_json maskingJson(const MaskingResult& result, const std::optional<BeatGrid>& grid);

/** The bands of the analysis as [{low_hz, high_hz}], to 0.1 Hz. */
nlohmann::ordered_json maskingBandsJson(const MaskingResult& result);

}  // namespace mixdown::analysis
