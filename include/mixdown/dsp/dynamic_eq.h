#pragma once
// The `dynamic_eq` processor: EQ bands (RBJ Audio EQ Cookbook peak and shelves)
// whose gain moves with the level in the band: a de-esser, or a "surgical"
// sidechain that ducks a bass's band while the kick's band is loud.
//
// Per band, in order (the bands are in series):
// 1. Level: the peak level (dB, stereo linked) of a detection filter on the
//    processor's input before any band (or on the `key` input for a keyed band;
//    on the input when no key is routed): an RBJ bandpass (constant 0 dB peak) at
//    the band's frequency and Q for a peak band, a lowpass (low shelf) or highpass
//    (high shelf) at the band's frequency with Q 1/sqrt 2 for a shelf.
// 2. Dynamic gain: the compressor curve's attenuation over the threshold,
//    (1 - 1/ratio)(level - thresholdDb) for a level above thresholdDb, 0 below
//    (hard knee), limited to |rangeDb|, smoothed by GainComputer's ballistics
//    (63.2 % of a step in attackMs when the band gets louder, in releaseMs when it
//    gets quieter; coefficient exp(-1 / (tau fs))). It cuts for rangeDb < 0 and
//    boosts for rangeDb > 0: dynamic = sign(rangeDb) * min(amount, |rangeDb|).
// 3. Filter: the band's peak or shelf with gain gainDb + dynamic, on the signal.
//    Its coefficients are redesigned every kCoefficientStrideFrames frames (counted
//    from prepare() or reset(), whatever the block split) from the dynamic gain of
//    the first frame of the stride, and only when that gain changed; never per sample.
// Only peak, low_shelf and high_shelf bands have a gain to move: other shapes are
// rejected by the constructor (std::invalid_argument). No latency.
// Automation (retarget()): a band's new frequency, Q or gain redesigns its filter
// for gainDb + the dynamic gain designed last, and its detection filter, and both
// move there with coefficients interpolated per sample; a stride's new dynamic
// gain during that ramp redirects it to the new design. Threshold, ratio, time
// constants and range change at once for the next frame, keeping the detector's
// and ballistics' state.

#include <vector>

#include "mixdown/dsp/biquad.h"
#include "mixdown/dsp/gain_computer.h"
#include "mixdown/dsp/level_detector.h"
#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

class DynamicEqProcessor final : public Processor, public GainReductionMeter {
public:
  static constexpr int kCoefficientStrideFrames = 32;

  struct Band {
    BiquadShape shape = BiquadShape::Peak;  // Peak, LowShelf or HighShelf
    double frequencyHz = 1000.0;            // 0 < f < sampleRate / 2
    double q = 0.707;                       // the cookbook's Q (shelves too)
    double gainDb = 0.0;                    // static gain of the band
    double thresholdDb = -24.0;             // band level (dB) where the gain starts to move
    double ratio = 2.0;                     // >= 1: band level dB over the threshold per output dB
    double attackMs = 5.0;                  // >= 0: time constant of a rise of the band level's effect
    double releaseMs = 100.0;               // >= 0: time constant of its fall
    double rangeDb = -12.0;                 // largest cut (negative) or boost (positive)
    bool keyed = false;                     // measure the key input's band instead of the input's
  };
  struct Params {
    std::vector<Band> bands;
  };

  /** Throws std::invalid_argument for a band shape other than Peak, LowShelf or HighShelf. */
  explicit DynamicEqProcessor(Params params);

  /** May throw std::invalid_argument for a band at or above half the sample rate. */
  void prepare(const ProcessSpec& spec) override;
  void reset() noexcept override;
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;

  const Params& params() const noexcept { return params_; }
  /**
   * Bands take target's frequency, Q and gain, their filters and detection
   * filters moving there over rampFrames frames (at once when <= 0), and
   * threshold, ratio, time constants and range at once. Shapes, keys and the
   * number of bands stay as prepared, and so does a frequency that prepare()
   * would reject. Never allocates.
   */
  void retarget(const Params& target, int rampFrames) noexcept;
  /** The largest |dynamic gain| (dB) of any band, cut or boost, since prepare() or reset(). */
  double maxDynamicGainDb() const noexcept { return maxDynamicGainDb_; }
  /** The largest dynamic cut (dB, >= 0) of the cutting bands (rangeDb < 0) since prepare() or reset(). */
  double maxGainReductionDb() const noexcept override { return maxGainReductionDb_; }
  /** Itself when a band can cut (rangeDb < 0), else nullptr: a dynamic EQ that only boosts reduces no gain. */
  const GainReductionMeter* gainReductionMeter() const noexcept override;

private:
  struct BandState {
    LevelDetector detector;
    GainComputer computer;
    Biquad filter;                   // with the coefficients designed last (a ramp's target)
    BiquadCoefficientRamp ramp;      // the filter's coefficients while retarget() moves them
    double designedDynamicDb = 0.0;  // the dynamic gain the filter's coefficients were designed for
    double quietFrames = 0.0;        // the filter's quiet frames in a row (biquad_step.h), its channels together
  };

  void processChunk(AudioBlock io, ConstAudioBlock key) noexcept;
  void filterBand(size_t band, AudioBlock io) noexcept;
  /** filterBand() over frames [first, last): with the ramp's coefficients (Ramped) or the filter's own. */
  template <bool Ramped>
  void filterFrames(size_t band, AudioBlock io, int first, int last) noexcept;
  /** The band's detector reports levels just beyond its computer's flat regions. */
  static void limitDetectorRange(BandState& state) noexcept;
  /** The band's peak or shelf with a total gain of totalGainDb. */
  BiquadCoefficients design(size_t band, double totalGainDb) const noexcept;

  Params params_;
  std::vector<BandState> states_;
  AudioBuffer input_;            // the chunk's input, for the unkeyed bands' detection
  std::vector<double> levelDb_;  // per frame of a chunk
  std::vector<double> dynamicDb_;  // per frame of a chunk, of the band in progress
  double sampleRate_ = 48000.0;
  int maxBlockFrames_ = 0;
  int strideFrame_ = 0;  // frames since the last coefficient stride began, 0 .. stride - 1
  double maxDynamicGainDb_ = 0.0;
  double maxGainReductionDb_ = 0.0;
};

}  // namespace mixdown::dsp
