#include "mixdown/dsp/parameter_curve.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace mixdown::dsp {

namespace {

constexpr std::size_t kBeforeFirst = std::numeric_limits<std::size_t>::max();

/** Nearest frame, ties to even (std::nearbyint in the default rounding mode). */
std::int64_t frameOf(double seconds, double sampleRate) {
  return static_cast<std::int64_t>(std::nearbyint(seconds * sampleRate));
}

}  // namespace

ParameterCurve::ParameterCurve(double value) : constant_(value) {}

ParameterCurve::ParameterCurve(const std::vector<std::pair<double, double>>& pointsS, CurveShape shape,
                               double sampleRate)
    : constant_(pointsS.front().second), shape_(shape),
      rampFrames_(std::max<std::int64_t>(1, std::llround(kJumpRampS * sampleRate))) {
  for (const auto& [timeS, value] : pointsS) {
    frames_.push_back(frameOf(timeS, sampleRate));
    values_.push_back(value);
  }
  // Jumps: per group of points at one frame, the value there (the group's last
  // point) minus the value approached from the left: the previous point's value
  // for steps, the group's first point for linear and smooth segments (which end
  // on it), the first value before the first point.
  for (std::size_t first = 0; first < frames_.size();) {
    std::size_t last = first;
    while (last + 1 < frames_.size() && frames_[last + 1] == frames_[first]) ++last;
    const double left = first == 0 || shape_ != CurveShape::Step ? values_[first] : values_[first - 1];
    const double jump = values_[last] - left;
    if (jump != 0.0) {
      jumpFrames_.push_back(frames_[first]);
      jumpSizes_.push_back(jump);
    }
    first = last + 1;
  }
}

std::size_t ParameterCurve::segmentOf(std::int64_t frame) const noexcept {
  const auto after = std::upper_bound(frames_.begin(), frames_.end(), frame);
  if (after == frames_.begin()) return kBeforeFirst;
  return static_cast<std::size_t>(after - frames_.begin()) - 1;
}

double ParameterCurve::plainValue(std::int64_t frame, std::size_t segment) const noexcept {
  if (segment == kBeforeFirst) return values_.front();
  if (segment + 1 >= frames_.size() || shape_ == CurveShape::Step) return values_[segment];
  const double start = values_[segment];
  const double end = values_[segment + 1];
  const double x = static_cast<double>(frame - frames_[segment]) /
                   static_cast<double>(frames_[segment + 1] - frames_[segment]);
  if (shape_ == CurveShape::Smooth) return start + (end - start) * (1.0 - std::cos(std::numbers::pi * x)) / 2.0;
  return start + (end - start) * x;
}

double ParameterCurve::valueAt(std::int64_t frame) const noexcept {
  if (isConstant()) return constant_;
  double value = plainValue(frame, segmentOf(frame));
  // Ramps of the jumps at or before frame whose ramp has not ended.
  const auto firstAfter = std::upper_bound(jumpFrames_.begin(), jumpFrames_.end(), frame);
  for (auto jump = firstAfter; jump != jumpFrames_.begin();) {
    --jump;
    const std::int64_t since = frame - *jump;
    if (since >= rampFrames_) break;
    const double size = jumpSizes_[static_cast<std::size_t>(jump - jumpFrames_.begin())];
    value -= size * (1.0 - static_cast<double>(since) / static_cast<double>(rampFrames_));
  }
  return value;
}

void ParameterCurve::render(std::int64_t startFrame, int frames, double* out) const noexcept {
  if (isConstant()) {
    std::fill(out, out + frames, constant_);
    return;
  }
  // valueAt() for consecutive frames, walking the segments and jumps forward instead of searching.
  std::size_t segment = segmentOf(startFrame);
  auto jump = std::upper_bound(jumpFrames_.begin(), jumpFrames_.end(), startFrame - rampFrames_);
  for (int index = 0; index < frames; ++index) {
    const std::int64_t frame = startFrame + index;
    // (kBeforeFirst + 1 wraps to 0, the first point: unsigned arithmetic is modular.)
    while (segment + 1 < frames_.size() && frames_[segment + 1] <= frame) ++segment;
    while (jump != jumpFrames_.end() && frame - *jump >= rampFrames_) ++jump;
    double value = plainValue(frame, segment);
    for (auto active = jump; active != jumpFrames_.end() && *active <= frame; ++active) {
      const double size = jumpSizes_[static_cast<std::size_t>(active - jumpFrames_.begin())];
      value -= size * (1.0 - static_cast<double>(frame - *active) / static_cast<double>(rampFrames_));
    }
    out[index] = value;
  }
}

}  // namespace mixdown::dsp
