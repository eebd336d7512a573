#pragma once
// The `convolution` processor: convolution reverb with a recorded impulse
// response (IR), by uniformly partitioned FFT convolution (partitioned_convolver.h).
//
// prepare() turns the IR into the one that is convolved:
// 1. Rate: an IR at another rate is resampled to the session rate with libsoxr
//    (SOXR_HQ, see io/resampler.h). Both rates are whole Hz. soxr's filter rings
//    for about 100 frames of the lower rate on either side of an impulse, and
//    places output frame j at input time j / rate, so the IR is first padded
//    with kResamplingMarginFrames (of the lower rate) of silence at both ends,
//    rounded up to a whole number of periods of the two rates (pad frames *
//    sessionRate / irRate is an integer D): the ringing before the IR's first
//    frame is kept, and the IR's time 0 lands exactly on frame D, which is added
//    to the latency. (44.1 kHz -> 48 kHz: pad 147 -> D = 160 frames.) The taps
//    are scaled by irRate / sessionRate, so the IR keeps its frequency response
//    (a unit impulse stays a 0 dB all-pass up to soxr's passband edge).
// 2. normalize: one gain for every channel, g = 1 / sqrt(E), where
//    E = (1 / C) sum_c sum_n h_c[n]^2 is the mean per-channel energy of the IR
//    at the session rate; afterwards E = 1, so white noise keeps its RMS in the
//    wet signal (on average over the channels). An all-zero IR is left as it is.
// 3. predelay: round(predelayMs * fs / 1000) frames of silence before the IR.
//
// Channels: output channel c is input channel c convolved with IR channel
// min(c, irChannels - 1): mono in + mono IR -> mono; mono in + stereo IR ->
// stereo (outputChannels(1) = 2; the graph copies the input into both channels);
// stereo in + mono IR -> both channels with the same IR; stereo + stereo ->
// L * irL, R * irR.
//
// Output: (1 - mix) * dry + mix * wet, the dry delayed by latencyFrames() so
// the two stay aligned (mix 0 is the delayed input exactly).
// Latency: B + D frames, B the partition size: the IR's frame count (after
// predelay) rounded up to a power of two, clamped to kMinPartitionFrames ..
// maxPartitionFrames(fs) (8192 below 67.9 kHz, 16384 below 135.8 kHz, ...:
// about 170 ms at any rate); D the resampling offset above (0 at the same rate).
// Tail: the prepared IR's frame count (resampled, with its padding) + predelay.

#include <vector>

#include "mixdown/dsp/delay_line.h"
#include "mixdown/dsp/linear_ramp.h"
#include "mixdown/dsp/partitioned_convolver.h"
#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

class ConvolutionProcessor final : public Processor {
public:
  static constexpr int kMinPartitionFrames = 64;
  // At 48 kHz: 8192 frames (171 ms); a 10 s stereo IR then renders 40 to 100
  // times faster than real time on one core (bench/convolution_speed.cpp).
  static constexpr int kMaxPartitionFramesAt48kHz = 8192;
  /** The largest partition at sampleRate: kMaxPartitionFramesAt48kHz times the power of two nearest fs / 48 kHz (at least 1). */
  static int maxPartitionFrames(double sampleRate) noexcept;
  // Silence (frames at the lower of the two rates) around an IR before
  // resampling: SOXR_HQ's impulse response is below -140 dB beyond ~100.
  static constexpr int kResamplingMarginFrames = 128;

  struct Params {
    std::vector<std::vector<float>> impulseResponse;  // planar, 1 or 2 channels of equal length >= 1
    double impulseResponseRateHz = 48000.0;           // whole Hz
    double mix = 1.0;                                 // 0 .. 1: (1 - mix) * dry + mix * wet
    double predelayMs = 0.0;                          // 0 .. 1000: delay of the wet signal
    bool normalize = true;                            // scale the IR to unit mean per-channel energy
  };

  /**
   * Throws std::invalid_argument if the IR has no frame, not 1 or 2 channels,
   * channels of unequal length, or a rate that is not positive.
   */
  explicit ConvolutionProcessor(Params params);

  void prepare(const ProcessSpec& spec) override;
  void reset() noexcept override;
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;
  /** As many channels as the input or the impulse response, whichever has more; the accessors below. */
  ProcessorProperties properties(int inputChannels) const noexcept override;
  int latencyFrames() const noexcept { return latencyFrames_; }
  int tailFrames() const noexcept { return tailFrames_; }
  /** The predelay: silence before the wet signal of a sound that has ended. */
  int silentGapFrames() const noexcept { return predelayFrames_; }

  const Params& params() const noexcept { return params_; }
  /** The partition size B chosen in prepare(). */
  int partitionFrames() const noexcept { return partitionFrames_; }
  /** The gain normalisation applied in prepare() (1 when normalize is false). */
  double normalizationGain() const noexcept { return normalizationGain_; }
  /** mix ramps per sample over rampFrames frames (at once when <= 0); the IR and predelay stay as prepared. */
  void retarget(const Params& target, int rampFrames) noexcept;

private:
  void processChunk(AudioBlock io) noexcept;

  Params params_;
  std::vector<PartitionedConvolver> convolvers_;  // one per output channel
  DelayLine dryDelay_;
  std::vector<float> wet_;  // channels x partitionFrames_: one chunk's wet signal
  std::vector<float> dryValues_;  // partitionFrames_: per-frame gains while mix ramps
  std::vector<float> wetValues_;
  double bakedMix_ = 1.0;   // the mix folded into the IR at prepare() (1 when that mix was 0)
  LinearRamp dryGain_;      // 1 - mix
  LinearRamp wetScale_;     // mix / bakedMix_
  int partitionFrames_ = 0;
  int latencyFrames_ = 0;
  int tailFrames_ = 0;
  int predelayFrames_ = 0;
  double normalizationGain_ = 1.0;
};

}  // namespace mixdown::dsp
