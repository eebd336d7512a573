#include "mixdown/analysis/measurement_json.h"

#include <cmath>

namespace mixdown::analysis {

namespace {

using json = nlohmann::ordered_json;

// Steps per unit, so the result is an integer divided by a power of ten: the
// double nearest the decimal, which prints short.
constexpr double kDbStepsPerUnit = 100.0;
constexpr double kCorrelationStepsPerUnit = 1e4;
constexpr double kDcOffsetStepsPerUnit = 1e7;

json roundedOrNull(const std::optional<double>& value, double stepsPerUnit) {
  if (!value || !std::isfinite(*value)) return nullptr;
  return std::round(*value * stepsPerUnit) / stepsPerUnit;
}

}  // namespace

json roundedDbOrNull(const std::optional<double>& decibels) { return roundedOrNull(decibels, kDbStepsPerUnit); }

json roundedCorrelationOrNull(const std::optional<double>& correlation) {
  return roundedOrNull(correlation, kCorrelationStepsPerUnit);
}

void addLoudnessFields(json& entry, const LoudnessMeasurement& loudness) {
  entry["integrated_lufs"] = roundedDbOrNull(loudness.integratedLufs);
  entry["loudness_range_lu"] = roundedDbOrNull(loudness.loudnessRangeLu);
  entry["max_momentary_lufs"] = roundedDbOrNull(loudness.maxMomentaryLufs);
  entry["max_short_term_lufs"] = roundedDbOrNull(loudness.maxShortTermLufs);
  entry["true_peak_dbtp"] = roundedDbOrNull(loudness.truePeakDbtp);
}

void addBalanceFields(json& entry, const SignalStatistics& statistics) {
  entry["dc_offset"] = roundedOrNull(statistics.dcOffset, kDcOffsetStepsPerUnit);
  entry["correlation"] = roundedCorrelationOrNull(statistics.correlation);
}

}  // namespace mixdown::analysis
