#pragma once
// Base-2 logarithm and exponential for the per-frame work of the gain
// computers (level in dB, gain from dB), several times cheaper than
// std::log10 / std::exp and accurate far beyond what a gain needs:
//   fastLog2: absolute error below 1e-10 for every positive normal x
//             (6e-10 dB on a level);
//   fastExp2: relative error below 1e-10 for y in [-1000, 1000]
//             (1e-9 dB on a gain); y is clamped to that range.
// Both are plain arithmetic on the IEEE-754 fields, so results are the same
// on every run and machine with the same floating-point operations. The Lanes
// versions (fastLog2Lanes, fastExp2Lanes) compute each lane's bits exactly as
// the scalar functions do: the same series, the same operations.

#include <bit>
#include <cstdint>

#include "mixdown/dsp/simd_lanes.h"

namespace mixdown::dsp {

inline constexpr double kLog2Of10 = 3.3219280948873623;   // log2(10)
inline constexpr double kLog10Of2 = 0.30102999566398120;  // log10(2)

/** log2(m) for m in [sqrt(1/2), sqrt(2)): double, Lanes or InterleavedLanes. */
template <typename Value>
MIXDOWN_ALWAYS_INLINE Value log2OfReducedMantissa(Value mantissa) noexcept {
  const Value t = (mantissa - 1.0) / (mantissa + 1.0);
  const Value t2 = t * t;
  const Value series =
      t * (1.0 + t2 * (1.0 / 3.0 + t2 * (1.0 / 5.0 + t2 * (1.0 / 7.0 + t2 * (1.0 / 9.0 + t2 * (1.0 / 11.0))))));
  return 2.8853900817779268 * series;  // 2 / ln 2
}

/** 2^f = e^u for u = f ln 2, |u| <= 0.347: double, Lanes or InterleavedLanes. */
template <typename Value>
MIXDOWN_ALWAYS_INLINE Value exp2OfFraction(Value u) noexcept {
  return 1.0 + u * (1.0 + u * (1.0 / 2.0 + u * (1.0 / 6.0 + u * (1.0 / 24.0 + u * (1.0 / 120.0 + u * (1.0 / 720.0 +
         u * (1.0 / 5040.0 + u * (1.0 / 40320.0 + u * (1.0 / 362880.0)))))))));
}

inline constexpr double kRoundingShift = 6755399441055744.0;  // 1.5 * 2^52: (y + it) - it rounds y to nearest

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
  return static_cast<double>(exponent) + log2OfReducedMantissa(mantissa);
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
  const double n = (y + kRoundingShift) - kRoundingShift;
  const double series = exp2OfFraction((y - n) * 0.69314718055994531);  // f ln 2, |u| <= 0.347
  // 2^n in two factors, so n down to -1000 stays within the normal range of each.
  const auto half = static_cast<int>(n) / 2;
  const auto power = [](int exponent) {
    return std::bit_cast<double>(static_cast<std::uint64_t>(exponent + 1023) << 52);
  };
  return series * power(half) * power(static_cast<int>(n) - half);
}

/** 10^(dB / 20): a gain from dB, through fastExp2. */
inline double fastDbToGain(double db) noexcept { return fastExp2(db * (kLog2Of10 / 20.0)); }

/**
 * fastLog2 of every lane of N Lanes (x, in place), their series interleaved.
 * The exponent becomes a double through the rounding shift (shift + e, minus
 * shift, is exactly e), where AVX2 has no conversion from 64-bit integers.
 */
template <int N>
MIXDOWN_ALWAYS_INLINE void fastLog2Lanes(Lanes (&x)[N]) noexcept {
  const LaneMask shiftBits = reinterpret_cast<LaneMask>(broadcastLanes(kRoundingShift));
  InterleavedLanes<N> mantissa;
  Lanes exponent[N];
  for (int k = 0; k < N; ++k) {
    const auto bits = reinterpret_cast<LaneMask>(x[k]);
    LaneMask whole = ((bits >> 52) & 0x7ff) - 1023;
    const Lanes reduced = reinterpret_cast<Lanes>((bits & 0x000fffffffffffffLL) | 0x3ff0000000000000LL);  // [1, 2)
    const LaneMask high = reduced >= 1.4142135623730951;
    mantissa.values[k] = selectLanes(high, reduced * 0.5, reduced);
    whole -= high;  // a set mask is -1
    exponent[k] = reinterpret_cast<Lanes>(shiftBits + whole) - kRoundingShift;
  }
  const InterleavedLanes<N> logs = log2OfReducedMantissa(mantissa);
  for (int k = 0; k < N; ++k) x[k] = exponent[k] + logs.values[k];
}

/** fastLog2 of every lane. */
MIXDOWN_ALWAYS_INLINE Lanes fastLog2Lanes(Lanes x) noexcept {
  Lanes one[1] = {x};
  fastLog2Lanes(one);
  return one[0];
}

/**
 * fastExp2 of every lane of N Lanes (y, in place), their series interleaved.
 * n = round(y) is read from the bits of y + shift (exactly n above the
 * shift's bits), and 2^n is applied as one power of two: for n in
 * [-1000, 1000] the series times 2^n and times fastExp2's two factors are the
 * same exact scaling, so the bits are fastExp2's.
 */
template <int N>
MIXDOWN_ALWAYS_INLINE void fastExp2Lanes(Lanes (&y)[N]) noexcept {
  InterleavedLanes<N> fraction;
  Lanes power[N];
  for (int k = 0; k < N; ++k) {
    const Lanes clamped = selectLanes(y[k] < -1000.0, broadcastLanes(-1000.0), selectLanes(y[k] > 1000.0, broadcastLanes(1000.0), y[k]));
    const Lanes shifted = clamped + kRoundingShift;
    const Lanes n = shifted - kRoundingShift;
    fraction.values[k] = (clamped - n) * 0.69314718055994531;
    const LaneMask whole = reinterpret_cast<LaneMask>(shifted) - reinterpret_cast<LaneMask>(broadcastLanes(kRoundingShift));
    power[k] = reinterpret_cast<Lanes>((whole + 1023) << 52);
  }
  const InterleavedLanes<N> series = exp2OfFraction(fraction);
  for (int k = 0; k < N; ++k) y[k] = series.values[k] * power[k];
}

/** fastExp2 of every lane. */
MIXDOWN_ALWAYS_INLINE Lanes fastExp2Lanes(Lanes y) noexcept {
  Lanes one[1] = {y};
  fastExp2Lanes(one);
  return one[0];
}

/** fastDbToGain of every lane. */
MIXDOWN_ALWAYS_INLINE Lanes fastDbToGainLanes(Lanes db) noexcept { return fastExp2Lanes(db * (kLog2Of10 / 20.0)); }

}  // namespace mixdown::dsp
