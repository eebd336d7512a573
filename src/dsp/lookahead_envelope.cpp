#include "mixdown/dsp/lookahead_envelope.h"

#include <algorithm>
#include <cmath>

namespace mixdown::dsp {

// ---------------------------------------------------------------------------------------------
// SlidingMaximum

void SlidingMaximum::prepare(int windowFrames) {
  window_ = std::max(windowFrames, 1);
  frames_.assign(static_cast<size_t>(window_ + 1), 0);
  values_.assign(static_cast<size_t>(window_ + 1), 0);
  reset();
}

void SlidingMaximum::reset() noexcept {
  frame_ = 0;
  head_ = 0;
  size_ = 0;
}

std::int64_t SlidingMaximum::push(std::int64_t value) noexcept {
  const int capacity = static_cast<int>(frames_.size());
  while (size_ > 0 && frames_[static_cast<size_t>(head_)] <= frame_ - window_) {
    if (++head_ == capacity) head_ = 0;
    --size_;
  }
  while (size_ > 0) {
    int back = head_ + size_ - 1;
    if (back >= capacity) back -= capacity;
    if (values_[static_cast<size_t>(back)] > value) break;
    --size_;
  }
  int tail = head_ + size_;
  if (tail >= capacity) tail -= capacity;
  frames_[static_cast<size_t>(tail)] = frame_;
  values_[static_cast<size_t>(tail)] = value;
  ++size_;
  ++frame_;
  return values_[static_cast<size_t>(head_)];
}

// ---------------------------------------------------------------------------------------------
// LookaheadEnvelope

void LookaheadEnvelope::prepare(int lookaheadFrames, int holdBeforeFrames, double releaseCoefficient,
                                int recurrenceFrames) {
  lookahead_ = lookaheadFrames;
  releaseCoefficient_ = releaseCoefficient;
  held_.prepare(lookaheadFrames + holdBeforeFrames + 1);
  recent_.prepare(std::max(recurrenceFrames, 1));
  recentMaxima_.assign(static_cast<size_t>(std::max(recurrenceFrames, 0)), 0);
  // Two boxes whose lengths add up to lookahead + 2 average lookahead + 1 frames with triangular weights.
  const int lengthFirst = lookaheadFrames / 2 + 1;
  const int lengthSecond = lookaheadFrames + 2 - lengthFirst;
  boxFirst_.assign(static_cast<size_t>(lengthFirst), 0);
  boxSecond_.assign(static_cast<size_t>(lengthSecond), 0);
  dbPerWeightedUnit_ = 1.0 / (static_cast<double>(lengthFirst) * static_cast<double>(lengthSecond) * kUnitsPerDb);
  reset();
}

void LookaheadEnvelope::reset() noexcept {
  held_.reset();
  recent_.reset();
  std::fill(recentMaxima_.begin(), recentMaxima_.end(), 0);
  std::fill(boxFirst_.begin(), boxFirst_.end(), 0);
  std::fill(boxSecond_.begin(), boxSecond_.end(), 0);
  releasedUnits_ = 0.0;
  sumFirst_ = 0;
  sumSecond_ = 0;
  positionFirst_ = 0;
  positionSecond_ = 0;
  positionRecent_ = 0;
}

std::int64_t LookaheadEnvelope::toUnits(double reductionDb) noexcept {
  if (!(reductionDb < kMaxReductionDb)) return static_cast<std::int64_t>(kMaxReductionDb * kUnitsPerDb);
  if (reductionDb <= 0.0) return 0;
  return static_cast<std::int64_t>(std::ceil(reductionDb * kUnitsPerDb));
}

std::int64_t LookaheadEnvelope::recurring(std::int64_t requiredUnits) noexcept {
  if (recentMaxima_.empty()) return 0;
  const std::int64_t recent = recent_.push(requiredUnits);
  std::int64_t& before = recentMaxima_[static_cast<size_t>(positionRecent_)];  // the max W frames ago
  const std::int64_t recurred = std::min(recent, before);
  before = recent;
  if (++positionRecent_ == static_cast<int>(recentMaxima_.size())) positionRecent_ = 0;
  return recurred;
}

double LookaheadEnvelope::push(std::int64_t requiredUnits) noexcept {
  const std::int64_t held = held_.push(requiredUnits);
  const auto recurred = static_cast<double>(recurring(requiredUnits));

  // Exponential release, stopped where the reduction recurs, never below what the window holds.
  // Rounding to the nearest unit keeps the time constant unbiased and never drops below held (an
  // integer); below half a unit it is 0.
  const double decayed = std::max(recurred, releasedUnits_ * releaseCoefficient_);
  releasedUnits_ = std::max(static_cast<double>(held), std::min(releasedUnits_, decayed));
  if (releasedUnits_ < 0.5) releasedUnits_ = 0.0;
  const auto released = static_cast<std::int64_t>(std::llround(releasedUnits_));

  // Two running box sums: exact in integers.
  auto& first = boxFirst_[static_cast<size_t>(positionFirst_)];
  sumFirst_ += released - first;
  first = released;
  if (++positionFirst_ == static_cast<int>(boxFirst_.size())) positionFirst_ = 0;
  auto& second = boxSecond_[static_cast<size_t>(positionSecond_)];
  sumSecond_ += sumFirst_ - second;
  second = sumFirst_;
  if (++positionSecond_ == static_cast<int>(boxSecond_.size())) positionSecond_ = 0;

  return sumSecond_ == 0 ? 0.0 : static_cast<double>(sumSecond_) * dbPerWeightedUnit_;
}

}  // namespace mixdown::dsp
