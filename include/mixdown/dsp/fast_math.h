#pragma once
// Base-2 logarithm and exponential for the per-frame work of the gain
// computers (level in dB, gain from dB), several times cheaper than
// std::log10 / std::exp and accurate far beyond what a gain needs:
//   fastLog2: absolute error below 1e-10 for every positive normal x
//             (6e-10 dB on a level);
//   fastExp2: relative error below 1e-10 for y in [-1000, 1000]
//             (1e-9 dB on a gain); y is clamped to that range.
// Both are plain arithmetic on the IEEE-754 fields, so results are the same
// on every run and machine with the same floating-point operations.

#include <bit>
#include <cstdint>

namespace mixdown::dsp {

inline constexpr double kLog2Of10 = 3.3219280948873623;   // log2(10)
inline constexpr double kLog10Of2 = 0.30102999566398120;  // log10(2)

/**
 * log2(x) for a positive normal x: x = m 2^e with m in [sqrt(1/2), sqrt(2)),
 * log2(m) = (2 / ln 2) atanh(t), t = (m - 1) / (m + 1), |t| < 0.1716, from
 * the odd series t + t^3/3 + ... + t^11/11 (the first omitted term is below
 * 2e-11).
 */
inline double fastLog2(double x) noexcept {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  int exponent = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  double mantissa = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);  // [1, 2)
  if (mantissa >= 1.4142135623730951) {
    mantissa *= 0.5;
    ++exponent;
  }
  const double t = (mantissa - 1.0) / (mantissa + 1.0);
  const double t2 = t * t;
  const double series =
      t * (1.0 + t2 * (1.0 / 3.0 + t2 * (1.0 / 5.0 + t2 * (1.0 / 7.0 + t2 * (1.0 / 9.0 + t2 * (1.0 / 11.0))))));
  return static_cast<double>(exponent) + 2.8853900817779268 * series;  // 2 / ln 2
}

/**
 * 2^y for y in [-1000, 1000] (clamped): 2^y = 2^n 2^f with n = round(y),
 * |f| <= 1/2, and 2^f = e^(f ln 2) from its Taylor series to degree 9 (the
 * first omitted term is below 2e-12 relative).
 */
inline double fastExp2(double y) noexcept {
  y = y < -1000.0 ? -1000.0 : (y > 1000.0 ? 1000.0 : y);
  // Round to nearest by adding and removing 1.5 * 2^52 (inline, where std::nearbyint is a library call
  // on a baseline x86-64 build).
  constexpr double kRoundingShift = 6755399441055744.0;
  const double n = (y + kRoundingShift) - kRoundingShift;
  const double u = (y - n) * 0.69314718055994531;  // f ln 2, |u| <= 0.347
  const double series =
      1.0 + u * (1.0 + u * (1.0 / 2.0 + u * (1.0 / 6.0 + u * (1.0 / 24.0 + u * (1.0 / 120.0 + u * (1.0 / 720.0 +
      u * (1.0 / 5040.0 + u * (1.0 / 40320.0 + u * (1.0 / 362880.0)))))))));
  // 2^n in two factors, so n down to -1000 stays within the normal range of each.
  const auto half = static_cast<int>(n) / 2;
  const auto power = [](int exponent) {
    return std::bit_cast<double>(static_cast<std::uint64_t>(exponent + 1023) << 52);
  };
  return series * power(half) * power(static_cast<int>(n) - half);
}

/** 10^(dB / 20): a gain from dB, through fastExp2. */
inline double fastDbToGain(double db) noexcept { return fastExp2(db * (kLog2Of10 / 20.0)); }

}  // namespace mixdown::dsp
