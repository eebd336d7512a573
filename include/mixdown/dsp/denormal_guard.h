#pragma once
// Keeping recursive states out of the subnormal range without relying on FTZ/DAZ:
// a value below kTinyLevel (-600 dB) is replaced by 0. Far below any audible level,
// and far enough above FLT_MIN (1.2e-38) that products of such values with gains
// near 1 stay normal.

#include <cmath>

namespace mixdown::dsp {

inline constexpr float kTinyLevel = 1e-30f;

/** value, or 0 when |value| < kTinyLevel. */
inline float flushTiny(float value) noexcept { return std::abs(value) < kTinyLevel ? 0.0f : value; }

}  // namespace mixdown::dsp
