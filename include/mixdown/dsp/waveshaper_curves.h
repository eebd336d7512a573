#pragma once
// Static transfer curves of the `saturation` processor. Each is odd, smooth,
// has slope 1 at 0 (so a quiet signal passes at unity gain) and stays within
// [-1, 1]. The `even` amount then bends the curve's output asymmetrically
// (evenHarmonicBend below), which adds the even harmonics an odd curve cannot.
//
// Each curve comes twice: a scalar function (the reference, used by tests) and
// a block function that applies the same float operations to every sample in
// separate passes (limit, then the formula, then limit again) so that each loop
// vectorises; a comparison followed by arithmetic in one loop leaves GCC with
// branches it will not turn into vector code under the default (trapping) math
// mode. Only exactly rounded IEEE operations are used (+, -, *, /, sqrt; no
// library tanh or Eigen packet math, whose fast sqrt differs between CPUs), so
// the result of every sample is the same in vector and scalar code, whatever
// the block boundaries, the alignment or the x86-64 machine.

#include <cmath>

namespace mixdown::dsp {

/** x limited to [-limit, limit]; both comparisons always run, so a loop of it vectorises to selects. */
inline float clampSymmetric(float x, float limit) noexcept {
  const float atLeastLower = x < -limit ? -limit : x;
  return atLeastLower > limit ? limit : atLeastLower;
}

inline void clampSymmetric(float* samples, int frames, float limit) noexcept {
  for (int frame = 0; frame < frames; ++frame) samples[frame] = clampSymmetric(samples[frame], limit);
}

// --- tanh -------------------------------------------------------------------

/** Beyond this |x|, tanh(x) rounds to +-1 in float. */
inline constexpr float kTanhLimit = 9.0f;

/**
 * tanh(x) for |x| <= 9 as a rational minimax fit x P(x^2) / Q(x^2) of degrees
 * 9/8, fitted for this project (Loeb's iteratively reweighted least squares,
 * then Lawson weights, on [0, 9]): max absolute error 2.1e-8 in exact
 * arithmetic, 3e-7 evaluated in float; it may exceed 1 by 2 ulp, hence the
 * final limit in tanhCurve(). The slope at 0 is exactly 1 and the cubic term
 * a1 - b1 = -0.33333 matches tanh's -x^3 / 3, so small signals keep tanh's
 * relative accuracy.
 */
inline float tanhRational(float x) noexcept {
  constexpr float a1 = 0.13380312285020094f, a2 = 0.0034947519625782952f, a3 = 2.059597389666264e-05f,
                  a4 = 1.3337898150195514e-08f;
  constexpr float b1 = 0.46713629710419832f, b2 = 0.025873767954014665f, b3 = 0.00032842938787015488f,
                  b4 = 7.7693943730953539e-07f;
  const float square = x * x;
  const float numerator = x * (1.0f + square * (a1 + square * (a2 + square * (a3 + square * a4))));
  const float denominator = 1.0f + square * (b1 + square * (b2 + square * (b3 + square * b4)));
  return numerator / denominator;
}

/** tanh(x), for every float x. */
inline float tanhCurve(float x) noexcept {
  return clampSymmetric(tanhRational(clampSymmetric(x, kTanhLimit)), 1.0f);
}

inline void applyTanhCurve(float* samples, int frames) noexcept {
  clampSymmetric(samples, frames, kTanhLimit);
  for (int frame = 0; frame < frames; ++frame) samples[frame] = tanhRational(samples[frame]);
  clampSymmetric(samples, frames, 1.0f);
}

// --- soft clip --------------------------------------------------------------

/** Where the soft clipper reaches +-1. */
inline constexpr float kSoftClipKnee = 1.5f;

/**
 * Cubic soft clipper: x - (4/27) x^3 for |x| <= 3/2, sign(x) beyond. It is the
 * classic 1.5 u - 0.5 u^3 on u = x / 1.5 in [-1, 1], rescaled so the slope at
 * 0 is 1; it reaches +-1 at |x| = 3/2 with zero slope. Its first derivative is
 * continuous but its second is not, so its knee is harder than tanh's and its
 * harmonics of a loud sine fall off only as 1/n^3.
 */
inline float softClipCubic(float x) noexcept { return x - (4.0f / 27.0f) * x * x * x; }

inline float softClipCurve(float x) noexcept { return softClipCubic(clampSymmetric(x, kSoftClipKnee)); }

inline void applySoftClipCurve(float* samples, int frames) noexcept {
  clampSymmetric(samples, frames, kSoftClipKnee);
  for (int frame = 0; frame < frames; ++frame) samples[frame] = softClipCubic(samples[frame]);
}

// --- tape -------------------------------------------------------------------

/** Beyond this |x| the tape curve is +-1 in float; limiting keeps x^2 finite. */
inline constexpr float kTapeLimit = 1.0e4f;

/**
 * Tape: x / sqrt(1 + x^2). Magnetic tape's transfer curve is point-symmetric
 * (the B-H hysteresis loop of the oxide is), so a tape machine adds mostly odd
 * harmonics, the third above all (tape's maximum output level is specified at
 * 3 % third-harmonic distortion). This curve starts to bend earlier than tanh
 * (cubic term -x^3 / 2 against -x^3 / 3) but approaches +-1 only as
 * 1 - 1 / (2 x^2), against tanh's exponential approach, so loud peaks are
 * rounded and compressed gradually rather than flattened: the soft, early,
 * never-hard knee that engineers describe as tape compression. The hysteresis
 * (memory) of real tape, its bias noise and its head bump are not modelled;
 * the curve is static and deterministic.
 */
inline float tapeAlgebraic(float x) noexcept { return x / std::sqrt(1.0f + x * x); }

inline float tapeCurve(float x) noexcept { return tapeAlgebraic(clampSymmetric(x, kTapeLimit)); }

/** The square root keeps this loop scalar (errno handling) unless built with -fno-math-errno. */
inline void applyTapeCurve(float* samples, int frames) noexcept {
  clampSymmetric(samples, frames, kTapeLimit);
  for (int frame = 0; frame < frames; ++frame) samples[frame] = tapeAlgebraic(samples[frame]);
}

// --- even harmonics ---------------------------------------------------------

/**
 * The asymmetric bend of the `even` amount e in [0, 1], on a curve's output c
 * in [-1, 1]: c + (e / 2) c^2, computed as c + halfEven * c * c with
 * halfEven = e / 2. Its slope 1 + e c is >= 0 on [-1, 1], so the bend is
 * monotonic; its slope at 0 is 1, so quiet signals keep unity gain. Positive
 * half-waves are lifted and negative ones flattened (the slope falls to
 * 1 - e at c = -1), the way a single-ended tube or transistor stage is
 * asymmetric. On a sine c = A sin(w t) it adds (e / 4) A^2 (1 - cos(2 w t)):
 * a second harmonic of e A / 4 relative to the fundamental, and a DC of
 * (e / 4) A^2 that the processor's DC blocker removes. The output stays
 * within [-1 + e / 2, 1 + e / 2]. Squaring at most doubles the curve's
 * bandwidth, which the oversampling filters are there for.
 */
inline float evenHarmonicBend(float shaped, float halfEven) noexcept { return shaped + halfEven * shaped * shaped; }

inline void applyEvenHarmonicBend(float* samples, int frames, float halfEven) noexcept {
  for (int frame = 0; frame < frames; ++frame) samples[frame] = evenHarmonicBend(samples[frame], halfEven);
}

}  // namespace mixdown::dsp
