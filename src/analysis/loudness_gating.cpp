#include "mixdown/analysis/loudness_gating.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>

namespace mixdown::analysis {

namespace {

// The absolute gate, -70 LUFS, as an energy: 10^((-70 + 0.691) / 10).
constexpr double kAbsoluteGateEnergy = 1.1724653045822981e-07;
constexpr double kIntegratedRelativeGate = 0.1;  // -10 dB
constexpr double kRangeRelativeGate = 0.01;      // -20 dB
constexpr double kRangeLowPercentile = 0.10;
constexpr double kRangeHighPercentile = 0.95;

}  // namespace

LoudnessGating::LoudnessGating(int subBlockFrames, bool withRange)
    : subBlockFrames_(std::max(subBlockFrames, 1)), withRange_(withRange),
      recent_(static_cast<size_t>(withRange ? kShortTermSubBlocks : kBlockSubBlocks), 0.0) {}

double LoudnessGating::recentEnergy(int count) const noexcept {
  assert(count <= static_cast<int>(recent_.size()) && count <= subBlocks_);
  double sum = 0.0;
  for (std::int64_t subBlock = subBlocks_ - count; subBlock < subBlocks_; ++subBlock)
    sum += recent_[static_cast<size_t>(subBlock % static_cast<std::int64_t>(recent_.size()))];
  return sum / (static_cast<double>(count) * subBlockFrames_);
}

void LoudnessGating::addSubBlock(double weightedSquares) {
  recent_[static_cast<size_t>(subBlocks_ % static_cast<std::int64_t>(recent_.size()))] = weightedSquares;
  ++subBlocks_;
  if (subBlocks_ >= kBlockSubBlocks) {
    const double block = recentEnergy(kBlockSubBlocks);
    if (block >= kAbsoluteGateEnergy) blockEnergies_.push_back(block);
  }
  if (withRange_ && subBlocks_ >= kShortTermSubBlocks && (subBlocks_ - kShortTermSubBlocks) % kShortTermHopSubBlocks == 0) {
    const double window = recentEnergy(kShortTermSubBlocks);
    if (window >= kAbsoluteGateEnergy) shortTermEnergies_.push_back(window);
  }
}

std::optional<double> LoudnessGating::integratedLufs() const {
  if (blockEnergies_.empty()) return std::nullopt;
  double sum = 0.0;
  for (const double block : blockEnergies_) sum += block;
  const double relativeGate = sum / static_cast<double>(blockEnergies_.size()) * kIntegratedRelativeGate;
  double gatedSum = 0.0;
  std::size_t gatedCount = 0;
  for (const double block : blockEnergies_) {
    if (block < relativeGate) continue;
    gatedSum += block;
    ++gatedCount;
  }
  if (gatedCount == 0) return std::nullopt;
  return loudnessOfEnergy(gatedSum / static_cast<double>(gatedCount));
}

double LoudnessGating::loudnessRangeLu() const {
  assert(withRange_);
  if (shortTermEnergies_.empty()) return 0.0;
  std::vector<double> sorted = shortTermEnergies_;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0.0;
  for (const double window : sorted) sum += window;
  const double relativeGate = sum / static_cast<double>(sorted.size()) * kRangeRelativeGate;
  const auto first = std::lower_bound(sorted.begin(), sorted.end(), relativeGate);
  const auto count = static_cast<std::size_t>(sorted.end() - first);
  if (count == 0) return 0.0;
  const auto rank = [&](double percentile) {
    return first[static_cast<std::ptrdiff_t>(static_cast<double>(count - 1) * percentile + 0.5)];
  };
  return loudnessOfEnergy(rank(kRangeHighPercentile)) - loudnessOfEnergy(rank(kRangeLowPercentile));
}

}  // namespace mixdown::analysis
