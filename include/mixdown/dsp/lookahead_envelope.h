#pragma once
// The limiter's gain-reduction envelope: a lookahead ramp to each peak's
// reduction, a program-dependent release, in exact fixed point.

#include <cstdint>
#include <vector>

namespace mixdown::dsp {

/**
 * The maximum of the last windowFrames values pushed (Lemire's monotonic
 * deque in a ring): amortised O(1) per value, exact.
 */
class SlidingMaximum {
public:
  /** Allocates. windowFrames >= 1. */
  void prepare(int windowFrames);
  void reset() noexcept;
  /** Pushes the newest value; returns the maximum of the last windowFrames values (0 for those before reset()). */
  std::int64_t push(std::int64_t value) noexcept;

private:
  std::vector<std::int64_t> frames_;
  std::vector<std::int64_t> values_;
  std::int64_t frame_ = 0;
  int window_ = 1;
  int head_ = 0;
  int size_ = 0;
};

/**
 * Gain reduction in dB that reaches, ahead of time, the reduction each frame
 * needs, and then releases. Per frame it takes the reduction required by the
 * newest frame and returns the reduction for the frame lookaheadFrames() older:
 *   held[m]      = max(required[m - lookahead - holdBefore .. m])   (sliding maximum)
 *   recurring[m] = min(max(required over the last W frames), max(required over the W before))
 *   released[m]  = max(held[m], min(released[m - 1], max(recurring[m], released[m - 1] * releaseCoefficient)))
 *                  (0 below half a unit)
 *   output[n]    = triangular average of released[n .. n + lookahead]
 * Every value averaged for frame n is a maximum over a window containing
 * frames n - holdBefore .. n, so output[n] >= required[n - holdBefore .. n]:
 * the reduction is never short of what a frame needs. The triangle (two box
 * averages) turns a step into an S-shaped ramp with continuous slope.
 *
 * The release is program dependent: a reduction the signal has needed in each
 * of the last two windows of W = recurrenceFrames (a bass note's crests, every
 * half period) is held rather than released between its peaks, so a steady
 * tone with a half period up to W is reduced by one constant gain, without the
 * ripple that would modulate it (harmonic and intermodulation distortion). A
 * reduction that does not recur within W (a drum hit) releases at once with
 * the release time constant; a held one starts releasing at most W after its
 * last recurrence. The hold only ever stops the release: it never raises the
 * reduction, so the gain falls only ahead of a peak, through the lookahead.
 *
 * Reductions are fixed point (kUnitsPerDb), so running sums are exact, the
 * result does not depend on block sizes and a released envelope reaches
 * exactly 0 dB (gain 1, bit-transparent) instead of decaying through
 * subnormal numbers.
 */
class LookaheadEnvelope {
public:
  static constexpr double kUnitsPerDb = 1048576.0;  // 2^20 units per dB
  static constexpr double kMaxReductionDb = 1000.0;

  /**
   * releaseCoefficient: per-frame decay of the reduction, exp(-1 / (release_s * fs)); 0 = no release.
   * recurrenceFrames: W above; 0 = no hold, every reduction releases at once. Allocates.
   */
  void prepare(int lookaheadFrames, int holdBeforeFrames, double releaseCoefficient, int recurrenceFrames);
  void reset() noexcept;
  /** The release from the next push on; the envelope's state stays. */
  void setReleaseCoefficient(double releaseCoefficient) noexcept { releaseCoefficient_ = releaseCoefficient; }
  int lookaheadFrames() const noexcept { return lookahead_; }

  /** ceil(reductionDb * kUnitsPerDb), clamped to [0, kMaxReductionDb]; NaN gives the maximum. */
  static std::int64_t toUnits(double reductionDb) noexcept;
  /** Pushes the newest frame's required reduction (units); returns the reduction in dB for frame newest - lookaheadFrames(). */
  double push(std::int64_t requiredUnits) noexcept;

private:
  /** recurring[m] above for the newest frame's required reduction (0 without a hold). */
  std::int64_t recurring(std::int64_t requiredUnits) noexcept;

  SlidingMaximum held_;
  SlidingMaximum recent_;                   // max over the last W frames
  std::vector<std::int64_t> recentMaxima_;  // its last W results (ring): the max over the W frames before
  std::vector<std::int64_t> boxFirst_;      // the last lengthFirst released values (ring)
  std::vector<std::int64_t> boxSecond_;     // the last lengthSecond sums of boxFirst_ (ring)
  double releaseCoefficient_ = 0.0;
  double dbPerWeightedUnit_ = 0.0;  // 1 / (lengthFirst * lengthSecond * kUnitsPerDb)
  double releasedUnits_ = 0.0;      // released reduction, in units (not rounded, so the decay is exact)
  std::int64_t sumFirst_ = 0;
  std::int64_t sumSecond_ = 0;
  int lookahead_ = 0;
  int positionFirst_ = 0;
  int positionSecond_ = 0;
  int positionRecent_ = 0;
};

}  // namespace mixdown::dsp
