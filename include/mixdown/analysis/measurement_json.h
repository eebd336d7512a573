#pragma once
// The JSON figures of a measurement, shared by `mixdown analyze` and report.json
// so both print the same keys with the same rounding: levels to 0.01 dB, the
// correlation to 0.0001, the DC offset to 1e-7 of full scale (finer than one
// step of 24-bit audio, 2^-23). A figure that does not exist is null.

#include <nlohmann/json.hpp>
#include <optional>

#include "mixdown/analysis/audio_measurement.h"

namespace mixdown::analysis {

/** A dB figure rounded to 0.01; null when absent or not finite. */
nlohmann::ordered_json roundedDbOrNull(const std::optional<double>& decibels);

/** A correlation (-1 .. 1) rounded to 0.0001; null when absent or not finite. */
nlohmann::ordered_json roundedCorrelationOrNull(const std::optional<double>& correlation);

/** integrated_lufs, loudness_range_lu, max_momentary_lufs, max_short_term_lufs, true_peak_dbtp, in that order. */
void addLoudnessFields(nlohmann::ordered_json& entry, const LoudnessMeasurement& loudness);

/** dc_offset, correlation, in that order. */
void addBalanceFields(nlohmann::ordered_json& entry, const SignalStatistics& statistics);

}  // namespace mixdown::analysis
