#pragma once
// The `saturation` processor: a static waveshaper run at an oversampled rate.
//
//   wet = outputGain * dcBlock(downsample(bend(curve(upsample(drive * x)))))
//   out = (1 - mix) * dry + mix * wet
//
// bend is the `even` amount's asymmetric bend c + (even / 2) c^2
// (evenHarmonicBend in waveshaper_curves.h), run at the high rate with the
// curve. dcBlock is a DcBlocker at kDcBlockerCutoffHz. Neither runs when
// even is 0, so the output is then as without the parameter, bit for bit.
// even sets the structure (whether the blocker runs), so, like the curve and
// the oversampling, it is fixed at construction and not automated.
//
// drive = 10^(driveDb / 20) and outputGain = 10^(outputDb / 20) are applied at
// the base rate (gains commute with the linear-phase resampling filters); only
// the curve runs at the high rate. dry is the input delayed by latencyFrames(),
// so dry and wet line up sample for sample. A quiet signal passes with gain
// drive * outputGain (every curve has slope 1 at 0).
//
// Latency: the oversampler's round trip, a whole number of frames (0 at 1x).
// Mono or stereo (any channel count up to the prepared one). Outputs are never
// subnormal: the filters have no recursive state, and the output is flushed
// below FLT_MIN so a subnormal input cannot pass either. With mix = 0 the
// output is the input delayed by latencyFrames(), bit for bit (but for that
// flush).

#include <cstdint>
#include <vector>

#include "mixdown/audio/audio_block.h"
#include "mixdown/dsp/dc_blocker.h"
#include "mixdown/dsp/delay_line.h"
#include "mixdown/dsp/linear_ramp.h"
#include "mixdown/dsp/oversampler.h"
#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

class SaturationProcessor final : public Processor {
public:
  enum class Curve {
    Tanh,      // tanh(x)
    SoftClip,  // x - 4 x^3 / 27 for |x| <= 3/2, else sign(x)
    Tape,      // x / sqrt(1 + x^2)
  };
  struct Params {
    double driveDb = 6.0;       // 0 .. 48: gain into the curve
    Curve curve = Curve::Tanh;  // see waveshaper_curves.h for the formulas and their reasons
    double mix = 1.0;           // 0 .. 1: (1 - mix) * dry + mix * wet
    double outputDb = 0.0;      // -48 .. +24: gain after the curve
    int oversample = 4;         // 1, 2, 4 or 8; the curve runs at oversample x the sample rate
    double even = 0.0;          // 0 .. 1: the asymmetric bend's amount (even harmonics)
  };
  /** The DC blocker's cutoff: -0.26 dB and 14 degrees of phase lead at 20 Hz. */
  static constexpr double kDcBlockerCutoffHz = 5.0;
  explicit SaturationProcessor(const Params& params) : params_(params) {}

  /**
   * Drive, output gain and mix move to target's, each linearly in gain over
   * rampFrames frames (at once when <= 0). The curve, the oversampling and
   * even stay as constructed.
   */
  void retarget(const Params& target, int rampFrames) noexcept;
  const Params& params() const noexcept { return params_; }

  /** Throws std::invalid_argument when params.oversample is not 1, 2, 4 or 8. */
  void prepare(const ProcessSpec& spec) override;
  void reset() noexcept override;
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;
  /** The oversampler's latency. */
  ProcessorProperties properties(int inputChannels) const noexcept override {
    return {inputChannels, oversampler_.latencyFrames()};
  }

private:
  void processChunk(AudioBlock io) noexcept;
  void shape(AudioBlock highRate) const noexcept;
  void applyOutputAndMix(AudioBlock io, ConstAudioBlock dry) noexcept;

  Params params_;
  Oversampler oversampler_;
  AudioBuffer dry_;          // channels x maxBlockFrames: the input, delayed to line up with the wet path
  DelayLine dryDelay_;
  std::vector<float> driveValues_;   // per-frame ramps, maxBlockFrames each
  std::vector<float> outputValues_;
  std::vector<float> mixValues_;
  DcBlocker dcBlocker_;
  bool dcBlocked_ = false;  // even > 0: the bend and the blocker run
  float halfEven_ = 0.0f;   // even / 2
  LinearRamp drive_;
  LinearRamp outputGain_;
  LinearRamp mix_;
  int channels_ = 0;
  int maxBlockFrames_ = 0;
};

}  // namespace mixdown::dsp
