#pragma once
// Keeping recursive states out of the subnormal range without relying on FTZ/DAZ:
// the one quiet level, 1e-30 (-600 dB). A value below it is replaced by 0. Far
// below any audible level, and far enough above FLT_MIN (1.2e-38) that products
// of such values with gains near 1 stay normal. kQuietLevel for states in double,
// kTinyLevel (the same number as a float) for states in float; a filter's state
// follows the quiet-state rule of biquad_step.h built on it.

#include <cmath>

namespace mixdown::dsp {

inline constexpr double kQuietLevel = 1e-30;
inline constexpr float kTinyLevel = static_cast<float>(kQuietLevel);
static_assert(kTinyLevel == 1e-30f, "the float quiet level is the float nearest 1e-30");

/** value, or 0 when |value| < kTinyLevel. */
inline float flushTiny(float value) noexcept { return std::abs(value) < kTinyLevel ? 0.0f : value; }

}  // namespace mixdown::dsp
