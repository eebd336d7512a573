#pragma once
// A parameter's value at every frame: a constant, or automation points
// interpolated in the parameter's own unit (dB in dB).

#include <cstdint>
#include <utility>
#include <vector>

namespace mixdown::dsp {

enum class CurveShape { Linear, Step, Smooth };

/**
 * Points (time in seconds, value) become frames at the render rate, rounded to
 * the nearest frame, ties to even (so a bar:beat time lands on one exact
 * frame). Between points a and b at frames fa < fb, frame n takes
 *   Linear: va + (vb - va) * (n - fa) / (fb - fa)
 *   Step:   va
 *   Smooth: va + (vb - va) * (1 - cos(pi x)) / 2,  x = (n - fa) / (fb - fa)
 * (a half-cosine: the value leaves and reaches each point with zero slope).
 * Before the first point the first value holds, after the last the last.
 *
 * A jump (the end of a step segment, or two points at one frame) would click,
 * so it becomes a linear ramp of kJumpRampS from the value before to the value
 * after, starting at the jump's frame: the curve is the plain one plus, for
 * each jump of size d at frame f, -d * (1 - (n - f) / R) for f <= n < f + R
 * (R = round(kJumpRampS * rate)). Values depend only on n, never on how frames
 * are split into blocks.
 */
class ParameterCurve {
public:
  static constexpr double kJumpRampS = 0.01;

  /** A constant value. */
  explicit ParameterCurve(double value = 0.0);
  /** Automation: points in non-decreasing time (at least one). */
  ParameterCurve(const std::vector<std::pair<double, double>>& pointsS, CurveShape shape, double sampleRate);

  bool isConstant() const noexcept { return frames_.empty(); }
  /** The value at frame (the session frame the value applies to). */
  double valueAt(std::int64_t frame) const noexcept;
  /** out[i] = valueAt(startFrame + i), i < frames. */
  void render(std::int64_t startFrame, int frames, double* out) const noexcept;

private:
  /** The value of the plain curve (without jump ramps) at frame, with segment the index of the last point <= frame. */
  double plainValue(std::int64_t frame, std::size_t segment) const noexcept;
  /** Index of the last point at or before frame, or npos-like -1 (as size_t max) before the first. */
  std::size_t segmentOf(std::int64_t frame) const noexcept;

  double constant_ = 0.0;
  CurveShape shape_ = CurveShape::Linear;
  std::vector<std::int64_t> frames_;  // point frames, non-decreasing
  std::vector<double> values_;
  std::vector<std::int64_t> jumpFrames_;  // increasing
  std::vector<double> jumpSizes_;         // value after - value before
  std::int64_t rampFrames_ = 1;
};

}  // namespace mixdown::dsp
