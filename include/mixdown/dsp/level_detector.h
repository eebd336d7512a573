#pragma once
// The level detector of the dynamics processors: an optional key filter, then a
// per-frame level in dB, linked over channels (the loudest channel sets the
// level, so every channel receives the same gain).
//
// Levels:
// - Peak: L[n] = 20 log10(max_c |k_c[n]|). A sine of amplitude A reads
//   20 log10(A) dB at its peaks; ballistics (GainComputer) bridge the troughs.
// - Rms:  m_c[n] = a m_c[n-1] + (1 - a) k_c[n]^2 per channel, a = exp(-1 / (tau fs)),
//   tau = rmsTimeMs / 1000; L[n] = 10 log10(max_c m_c[n]). This is the plain mean
//   square, with no +3 dB sine correction: a steady sine of amplitude A reads
//   20 log10(A) - 3.0103 dB (plus a ripple of about +-4.34 / (4 pi f tau) dB at
//   twice its frequency f). The one-pole's step response adds to the attack.
// Levels are floored at kFloorDb so silence is finite. setRange() clamps them
// further, to an interval outside which the gain computer's curve is flat (see
// GainComputer::flatBelowDb()), and skips the logarithm for levels outside it.
//
// Decaying states never become subnormal: the mean square is flushed to 0 below
// kQuietLevel (1e-30, -300 dB), and the key filter's state by biquad_step.h's
// quiet-state rule, its channels counted together.
//
// Automation: retuneFilter() moves the key filter's frequency and Q, its
// coefficients interpolated per frame; setRange() may follow a retuned gain
// computer. Neither touches the filter's or the mean square's state.

#include <optional>

#include "mixdown/audio/audio_block.h"
#include "mixdown/dsp/biquad.h"
#include "mixdown/dsp/denormal_guard.h"
#include "mixdown/dsp/simd_lanes.h"

namespace mixdown::dsp {

enum class DetectorMode { Peak, Rms };

/**
 * The RMS detector's mean square of one channel, one frame, over a value type
 * (a double, or Lanes: CompressorLanes): m = a m + (1 - a) k^2 with
 * inputWeight = 1 - a, flushed to 0 below kQuietLevel.
 */
template <typename Value>
MIXDOWN_ALWAYS_INLINE void meanSquareStep(Value& meanSquare, Value coefficient, Value inputWeight, Value key) noexcept {
  meanSquare = coefficient * meanSquare + inputWeight * key * key;
  meanSquare = selectLanes(meanSquare < kQuietLevel, Value{}, meanSquare);
}

/** The Q of a sidechain's key highpass (compressor, gate, lv2 inserts): Butterworth, 12 dB/oct without a peak. */
inline constexpr double kKeyHighpassQ = 0.7071067811865476;

/** A filter of the key before detection (RBJ cookbook section, e.g. a 12 dB/oct highpass). */
struct DetectorFilter {
  BiquadShape shape = BiquadShape::Highpass;
  double frequencyHz = 100.0;  // 0 < f < sampleRate / 2
  double q = kKeyHighpassQ;
};

/**
 * Gives filter the target coefficients and starts ramp towards them over
 * rampFrames frames (at once when <= 0), from where a running ramp is, else
 * from filter's coefficients: the caller filters with ramp.next() while
 * ramp.isRamping() and with filter's own coefficients after. Never allocates.
 */
void rampCoefficients(Biquad& filter, BiquadCoefficientRamp& ramp, const BiquadCoefficients& target,
                      int rampFrames) noexcept;

class LevelDetector {
public:
  static constexpr double kFloorDb = -1000.0;  // the level of digital silence

  struct Params {
    DetectorMode mode = DetectorMode::Peak;
    double rmsTimeMs = 10.0;              // > 0; time constant of the mean square (Rms only)
    std::optional<DetectorFilter> filter;  // applied to the key before the level is taken
  };

  /**
   * Coefficients for sampleRate; throws std::invalid_argument for a filter at or above Nyquist.
   * Resets the range to [kFloorDb, +inf).
   */
  void prepare(const Params& params, double sampleRate);
  /** Reports levels clamped to [max(minDb, kFloorDb), maxDb] (dB); the logarithm is skipped outside. */
  void setRange(double minDb, double maxDb) noexcept;
  /**
   * Redesigns the key filter for filter's frequency and Q (its shape stays as
   * prepared) and moves its coefficients there over rampFrames frames (at once
   * when <= 0). Only for a detector prepared with a filter; never allocates. A
   * frequency outside (0, sampleRate / 2), which prepare() rejects, is ignored.
   */
  void retuneFilter(const DetectorFilter& filter, int rampFrames) noexcept;
  void reset() noexcept;

  const Params& params() const noexcept { return params_; }
  /** The range levels are clamped to, in dB, and as the linear level (peak or mean square) compared. */
  double minDb() const noexcept { return minDb_; }
  double maxDb() const noexcept { return maxDb_; }
  double minLinear() const noexcept { return minLinear_; }
  double maxLinear() const noexcept { return maxLinear_; }
  /** The RMS mean square's one-pole coefficient a (0 for peak detection). */
  double rmsCoefficient() const noexcept { return rmsCoefficient_; }
  /**
   * levelDb[i] = linked level of frame i of key, in dB (>= kFloorDb), for every frame
   * of key (1 or 2 channels), its logarithm through fastLog2 (within 6e-10 dB). Never
   * allocates.
   */
  void process(ConstAudioBlock key, double* levelDb) noexcept;

private:
  /** process() over frames [first, last): with filterRamp_'s coefficients (Ramped) or filter_'s own. */
  template <bool Ramped>
  void processFrames(ConstAudioBlock key, double* levelDb, int first, int last) noexcept;

  Params params_;
  double sampleRate_ = 48000.0;
  double minDb_ = kFloorDb;
  double maxDb_ = 0.0;
  double minLinear_ = 0.0;  // minDb_ as a peak amplitude or a mean square
  double maxLinear_ = 0.0;
  double rmsCoefficient_ = 0.0;  // a = exp(-1 / (tau fs))
  double meanSquare_[2] = {0.0, 0.0};
  Biquad filter_;
  BiquadCoefficientRamp filterRamp_;  // the key filter's coefficients while retuneFilter() moves them
  double quietFrames_ = 0.0;  // the key filter's quiet frames in a row (biquad_step.h), every channel together
};

}  // namespace mixdown::dsp
