#pragma once
// The `eq` processor: bands from the RBJ Audio EQ Cookbook (Robert
// Bristow-Johnson), applied in order as a cascade of second-order sections
// with double-precision state. Latency 0; mono stays mono.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "mixdown/dsp/biquad.h"
#include "mixdown/dsp/biquad_lanes.h"
#include "mixdown/dsp/lane_batch.h"
#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

class EqProcessor final : public Processor {
public:
  struct Band {
    BiquadShape shape = BiquadShape::Peak;
    /** Centre or corner, Hz. Valid sessions keep it below sampleRate / 2; see designEqBand for the clamp. */
    double frequencyHz = 1000.0;
    double gainDb = 0.0;        // peak and shelves only, dB
    double q = 0.707;           // the cookbook's Q (shelves too); highpass and lowpass only at 12 dB/oct
    int slopeDbPerOctave = 12;  // highpass and lowpass: 12, 24, 36 or 48
  };
  struct Params {
    std::vector<Band> bands;  // applied in order
  };

  explicit EqProcessor(Params params) : params_(std::move(params)) {}

  /** Designs every band's sections for spec.sampleRate and sizes the state for spec.channels (1 or 2). */
  void prepare(const ProcessSpec& spec) override;
  void reset() noexcept override;
  /**
   * Filters channels [0, min(io.channels(), spec.channels)) of io in place;
   * key and startFrame are unused.
   */
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;

  const Params& params() const noexcept { return params_; }
  /**
   * Bands take target's frequency, gain and q: every section is redesigned and
   * its coefficients move there linearly over rampFrames frames (at once when
   * <= 0). Shapes, slopes and the number of bands stay as prepared.
   */
  void retarget(const Params& target, int rampFrames) noexcept;

  /**
   * An unautomated EQ batches with EQs of as many sections (kind "eq/<sections>"):
   * their channels a lane each (lane_batch.h).
   */
  std::optional<LaneBatchOffer> laneBatchOffer(int inputChannels) const override;

private:
  /** The batch of EQ members: every member's channels in BiquadCascadeLanes, a lane each. */
  static std::unique_ptr<LaneBatch> makeLaneBatch(std::vector<LaneBatchMember> members);
  /** Every channel's sections take the ramps' current coefficients. */
  void setSectionCoefficients() noexcept;

  Params params_;
  int channels_ = 0;
  double sampleRate_ = 48000.0;
  std::vector<BiquadCoefficientRamp> ramps_;         // per section of one channel; both channels share them
  std::vector<BiquadCoefficientRamp> channelRamps_;  // scratch: ramps_ advanced through one channel's frames
  BiquadCascadeLanes cascade_;  // a lane per channel
};

/** Lowest and highest frequencies a band is designed at, Hz and fraction of the sample rate. */
inline constexpr double kEqMinimumFrequencyHz = 1.0;
inline constexpr double kEqMaximumFrequencyRatio = 0.4999;

/**
 * The band's frequency as designed: clamped into [kEqMinimumFrequencyHz,
 * kEqMaximumFrequencyRatio * sampleRate] (NaN becomes the minimum). The
 * cookbook's designs are only defined for 0 < f < sampleRate / 2: at Nyquist
 * alpha is 0 and both poles sit on the unit circle. So a band at or above
 * Nyquist, which the validator rejects, is designed just below it instead of
 * producing an unstable filter: a lowpass then passes nearly everything, a
 * highpass removes nearly everything, a peak or shelf acts only at the very top.
 */
double eqDesignFrequencyHz(double frequencyHz, double sampleRate) noexcept;

/** A band's second-order sections, in processing order. */
struct EqBandSections {
  std::array<BiquadCoefficients, 4> sections;
  int count = 0;
};

/**
 * The second-order sections of one band at sampleRate, in processing order.
 * Peak, shelves, bandpass, notch: one cookbook section with the band's q and
 * gainDb. Highpass and lowpass at 12 dB/oct: one cookbook section with the
 * band's q. Steeper: a Butterworth filter of order slope / 6 from the
 * cookbook sections with butterworthSectionQ(order, k), all at the band
 * frequency (q ignored). Slopes other than 12/24/36/48 are rounded down to a
 * multiple of 12 within that range. A q below 0.001 (or NaN) becomes 0.001;
 * the validator's range is 0.025 .. 40.
 */
EqBandSections designEqBand(const EqProcessor::Band& band, double sampleRate) noexcept;

}  // namespace mixdown::dsp
