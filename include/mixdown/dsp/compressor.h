#pragma once
// The `compressor` processor: a feed-forward compressor after Giannoulis,
// Massberg and Reiss (JAES 2012), built from LevelDetector -> GainComputer -> apply.
//
// Key: the `key` input of process() when it is not empty (an external sidechain,
// already time-aligned by the graph, mono or stereo), else the input itself;
// optionally highpassed (RBJ 12 dB/oct, Q 1/sqrt 2) before detection. The gain is
// stereo linked: the loudest key channel sets one gain for every channel.
// Detector: peak (|x|) or RMS (mean square with a one-pole of kRmsTimeMs; a sine
// of amplitude A reads 20 log10(A) - 3.01 dB), see level_detector.h. The RMS
// one-pole precedes the ballistics, so it adds its own rise and fall to theirs.
// Static curve: GMR's quadratic soft knee of total width kneeDb centred on the
// threshold; hard knee for kneeDb = 0.
// Ballistics (gain_computer.h): the attenuation covers 1 - 1/e (63.2 %) of a step
// of the static curve's output in attackMs (rising level) or releaseMs (falling
// level); coefficient exp(-1 / (tau fs)). For a steady tone of frequency f the
// attenuation holds its peak value and sags by at most a fraction
// 1 - exp(-1 / (2 f releaseMs / 1000)) of it between the tone's peaks.
// Lookahead: the input is delayed by round(lookaheadMs fs / 1000) frames against
// its gain, so gain reduction starts before a transient; latencyFrames() reports it.
// Output: delayed input * ((1 - mix) + mix * makeup * gain), i.e.
// (1 - mix) * dry + mix * compressed with the same (delayed) dry signal.
// Automation (retarget()): makeup (as a linear gain) and mix ramp per frame, on
// the output, like the gain; the curve and the time constants change at once
// for the key's next frame, keeping the detector's and ballistics' state.
// Speed: a compressor that fits a lane (self-keyed, no key highpass, no
// lookahead, never retargeted) runs as a one-lane CompressorLanes, which
// computes the same bits as the scalar path without its branches.

#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include "mixdown/dsp/delay_line.h"
#include "mixdown/dsp/gain_computer.h"
#include "mixdown/dsp/keyed_attenuation.h"
#include "mixdown/dsp/lane_batch.h"
#include "mixdown/dsp/level_detector.h"
#include "mixdown/dsp/linear_ramp.h"
#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

class CompressorLanes;
struct CompressorLane;

/** A frame's gain from its attenuation's: (1 - mix) + mix makeup attenuationGain, over a value type (CompressorLanes). */
template <typename Value>
MIXDOWN_ALWAYS_INLINE Value compressorOutputGain(Value attenuationGain, Value mix, Value makeup) noexcept {
  return (1.0 - mix) + mix * makeup * attenuationGain;
}

class CompressorProcessor final : public Processor, public GainReductionMeter {
public:
  using Detector = DetectorMode;
  static constexpr double kRmsTimeMs = 10.0;  // time constant of the RMS detector's mean square

  struct Params {
    double thresholdDb = -18.0;  // -96 .. 0; level where compression starts (dB, of the detector's level)
    double ratio = 4.0;          // >= 1: input dB over the threshold per output dB
    double attackMs = 10.0;      // >= 0: time constant of rising attenuation
    double releaseMs = 100.0;    // >= 0: time constant of falling attenuation
    double kneeDb = 0.0;         // >= 0: total width of the soft knee
    double makeupDb = 0.0;       // gain of the compressed signal
    Detector detector = Detector::Peak;
    double lookaheadMs = 0.0;    // >= 0: delay of the signal against its gain (latency)
    double mix = 1.0;            // 0 .. 1: (1 - mix) * dry + mix * compressed
    std::optional<double> keyHighpassHz;  // highpass on the key before detection
  };

  explicit CompressorProcessor(const Params& params);
  ~CompressorProcessor() override;

  void prepare(const ProcessSpec& spec) override;
  void reset() noexcept override;
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;
  ProcessorProperties properties(int inputChannels) const noexcept override { return {inputChannels, latencyFrames_}; }

  const Params& params() const noexcept { return params_; }
  /**
   * Takes target's threshold, ratio, knee and time constants at once, and ramps
   * makeup (linear gain) and mix linearly over rampFrames frames (at once when
   * <= 0). Detector, lookahead and key highpass stay as prepared. Never allocates.
   */
  void retarget(const Params& target, int rampFrames) noexcept;
  /** The largest attenuation the gain computer applied since prepare() or reset(), in dB (>= 0). */
  double maxGainReductionDb() const noexcept override;
  const GainReductionMeter* gainReductionMeter() const noexcept override { return this; }
  /**
   * A compressor that fits a lane (prepared, self-keyed, no key highpass,
   * lookahead or hold, never retargeted) batches with those of its detector
   * (kind "compressor/peak" or "compressor/rms"): a lane per track.
   */
  std::optional<LaneBatchOffer> laneBatchOffer(int inputChannels) const override;

private:
  /** Whether the lane kernel computes this compressor: prepared, no key highpass, lookahead or hold. */
  bool fitsLane() const noexcept;
  /** Its settings and state as a lane, as prepared (or reset) and not yet run. */
  CompressorLane lane() const noexcept;
  static std::unique_ptr<LaneBatch> makeLaneBatch(std::vector<LaneBatchMember> members);
  void processChunk(AudioBlock io, ConstAudioBlock key) noexcept;
  /** The gain computer's part of params_. */
  GainComputer::Params computerParams() const noexcept;
  /** params_.makeupDb as a linear gain. */
  double makeupGain() const noexcept { return std::exp(params_.makeupDb * KeyedAttenuation::kNepersPerDb); }

  Params params_;
  KeyedAttenuation attenuation_;
  std::unique_ptr<CompressorLanes> lane_;  // the one-lane path, when it fits (made by prepare())
  bool laneInUse_ = false;                 // blocks take lane_; retarget() or a routed key turns it off
  bool laneStarted_ = false;               // lane_ has processed a block since reset()
  LinearRamp makeup_{1.0};  // linear gain
  LinearRamp mix_{1.0};
  DelayLine delay_;
  std::vector<float> gain_;  // per frame of a chunk, linear
  int latencyFrames_ = 0;
};

}  // namespace mixdown::dsp
