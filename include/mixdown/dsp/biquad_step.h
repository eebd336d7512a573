#pragma once
// The kernels of a second-order section, written once over a value type: a
// double (one channel) or Lanes (simd_lanes.h: kLanes channels side by side).
// Biquad, BiquadCascadeLanes and every filter built on them run these, so a
// channel's output is the same bits whichever of them filters it.
//
// - biquadStep: one frame of the transposed direct form II,
//     y = b0 x + s1;  s1 = b1 x - a1 y + s2;  s2 = b2 x - a2 y,
//   in that order (no fused multiply-add: CMakeLists.txt).
// - countQuietFrames: the quiet-state rule. A section's state after frame n is
//   a fixed linear combination of its input and output at frames n - 1 and n,
//   so once both have been below kQuietLevel (denormal_guard.h: 1e-30,
//   -600 dBFS) for kQuietFramesToFlush frames in a row, the state is below
//   ~1e3 kQuietLevel and clearing it changes nothing audible; the filter then
//   outputs exact zeros instead of decaying into subnormals. A filter that detects its
//   channels together (a linked key) counts its frames together: quiet when
//   every channel is.

#include "mixdown/dsp/denormal_guard.h"
#include "mixdown/dsp/simd_lanes.h"

namespace mixdown::dsp {

inline constexpr double kQuietFramesToFlush = 2.0;

/** One frame of the section with coefficients (b0, b1, b2, a1, a2; double or Lanes) and state s1, s2: returns y. */
template <typename Value, typename Coefficients>
MIXDOWN_ALWAYS_INLINE Value biquadStep(const Coefficients& coefficients, Value& s1, Value& s2, Value input) noexcept {
  const Value output = coefficients.b0 * input + s1;
  s1 = coefficients.b1 * input - coefficients.a1 * output + s2;
  s2 = coefficients.b2 * input - coefficients.a2 * output;
  return output;
}

/** Per lane: |value| < kQuietLevel (a bool for a double, a LaneMask for Lanes). */
template <typename Value>
MIXDOWN_ALWAYS_INLINE auto isQuiet(Value value) noexcept {
  return absLanes(value) < kQuietLevel;
}

/**
 * The quiet-state rule, one frame: quietFrames (0 .. kQuietFramesToFlush)
 * counts the frames in a row in which quiet held (the section's input and
 * output both isQuiet); returns, per lane, whether the state is to be cleared
 * in this frame (the count is kQuietFramesToFlush).
 */
template <typename Value, typename Mask>
MIXDOWN_ALWAYS_INLINE auto countQuietFrames(Value& quietFrames, Mask quiet) noexcept {
  const Value advanced = selectLanes(quietFrames < kQuietFramesToFlush, quietFrames + 1.0, quietFrames);
  quietFrames = selectLanes(quiet, advanced, Value{});
  return quietFrames == kQuietFramesToFlush;
}

}  // namespace mixdown::dsp
