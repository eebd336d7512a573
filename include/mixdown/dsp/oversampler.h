#pragma once
// Linear-phase FIR oversampling by 1, 2, 4 or 8, for nonlinear processing
// (saturation) and true-peak detection (limiter).
//
// Each factor of two is one half-band stage (Kaiser-windowed sinc, designed in
// prepare() from the sample rate), used polyphase: one branch is a pure delay,
// the other a symmetric FIR, so a stage costs (M + 1) / 2 multiplies per
// low-rate sample and direction. The first stage carries the steep transition
// that protects the audio band; later stages only have to reject the images of
// what the first stage passes, so they are short.
//
// Round-trip latency is a whole number of base-rate frames: a stage of half
// length M delays by M samples at its high rate in each direction, and a delay
// of 0..factor-1 samples at the top rate pads the total to a multiple of the
// factor. An impulse at frame n comes back centred exactly on frame
// n + latencyFrames().
//
// No recursive state: after the input falls silent, every state is exactly
// zero once the longest filter has passed, so no subnormal numbers linger.

#include <vector>

#include "mixdown/audio/audio_block.h"

namespace mixdown::dsp {

/**
 * A half-band lowpass h[n], n = -M .. M (M odd), cutoff at a quarter of its
 * (high) rate: h[0] = 1/2, h[n] = 0 for other even n, so only the odd taps are
 * stored. They are normalised to sum to 1/2, so the DC gain is 1 and both
 * polyphase branches have the same DC gain (no image of DC).
 */
struct HalfbandFilter {
  int halfLength = 0;           // M; the filter spans 2M + 1 taps, its delay is M samples at the high rate
  std::vector<double> oddTaps;  // h[-M], h[-M + 2], ..., h[M]: M + 1 taps, symmetric
};

/**
 * Kaiser-window design of a half-band filter (Kaiser 1974; Oppenheim and
 * Schafer, Discrete-Time Signal Processing, 3rd ed., sec. 7.6): beta =
 * 0.1102 (A - 8.7), order N = (A - 7.95) / (2.285 * 2 pi * transitionWidth),
 * M = N / 2 rounded up to odd, then lengthened by 2 until the stopband,
 * checked on a dense grid, is at least attenuationDb down (the formula falls
 * a few dB short for short filters). transitionWidth is (stopband edge -
 * passband edge) / high rate, in (0, 0.5); the ripple is the same in both
 * bands (0.0001 dB in the passband for 100 dB).
 */
HalfbandFilter designHalfband(double transitionWidth, double attenuationDb);

/** |H(f)| of a half-band filter at frequency / high rate (for tests and design checks). */
double halfbandMagnitude(const HalfbandFilter& filter, double normalizedFrequency);

struct OversamplerSpec {
  int factor = 4;             // 1, 2, 4 or 8
  int channels = 2;           // channels of the blocks passed in
  int maxBlockFrames = 1024;  // base-rate frames per upsample() / downsample() call
  double sampleRate = 48000;  // base rate, Hz
  // Flat up to here (ripple ~0.0001 dB), then a transition to a stopband that
  // starts at sampleRate - passbandHz. Capped at 20/44.1 of the base rate, so at
  // 44.1 kHz and below the band keeps the same proportions as at 44.1 kHz. At
  // high rates the first stage gets short (wide transition) and the later
  // stages, which must pass all of that transition, get longer.
  double passbandHz = 20000;
  double stopbandDb = 100;    // attenuation of every stage over its whole stopband (checked at design)
};

class Oversampler {
public:
  /** Largest passband, as a fraction of the base rate: 20 kHz at 44.1 kHz. */
  static constexpr double kMaxPassbandFraction = 20000.0 / 44100.0;

  /** Designs the stages and sizes every buffer; may allocate. Throws std::invalid_argument for a bad spec. */
  void prepare(const OversamplerSpec& spec);
  /** Clears every filter state; never allocates. */
  void reset() noexcept;

  int factor() const noexcept { return factor_; }
  /** Round-trip delay (upsample, then downsample), in base-rate frames; 0 for factor 1. */
  int latencyFrames() const noexcept { return latencyFrames_; }
  /** Delay of upsample()'s output relative to its input, in base-rate frames (may be fractional). */
  double upsampleLatencyFrames() const noexcept { return upsampleLatencyFrames_; }
  /** The half-band stages, first (base rate <-> 2x) to last. */
  const std::vector<HalfbandFilter>& stages() const noexcept { return designs_; }

  /**
   * Upsamples input (at most maxBlockFrames frames, at most spec.channels
   * channels) into the internal buffer and returns a view of it: the same
   * channels, input.frames() * factor() frames at the high rate. The view
   * stays valid until the next upsample(); the caller may process it in place.
   */
  AudioBlock upsample(ConstAudioBlock input) noexcept;
  /**
   * Downsamples the high-rate block returned by the last upsample() (as the
   * caller left it) into output, whose frames and channels must match that
   * call's input. A caller that only measures (true peak) may skip this; the
   * two directions keep separate state.
   */
  void downsample(AudioBlock output) noexcept;

  /** upsample(io), processHighRate(AudioBlock) in place, downsample(io). */
  template <typename HighRateProcess>
  void process(AudioBlock io, HighRateProcess&& processHighRate) noexcept {
    processHighRate(upsample(io));
    downsample(io);
  }

private:
  // Per-stage, per-channel histories; a stage's low rate is 2^index times the base rate.
  struct Stage {
    int taps = 0;                   // K = M + 1 stored taps per branch
    int halfDelay = 0;              // (M + 1) / 2: the pure-delay branch, in low-rate samples
    int maxLowFrames = 0;           // low-rate frames per call
    std::vector<float> upTaps;      // 2 * odd taps (interpolation restores the zero-stuffing loss)
    std::vector<float> downTaps;    // odd taps
    std::vector<float> upHistory;   // channels x (K - 1 + maxLowFrames): low-rate input
    std::vector<float> downEven;    // channels x (K - 1 + maxLowFrames): even high-rate input
    std::vector<float> downOdd;     // channels x (halfDelay + maxLowFrames): odd high-rate input
  };

  void upStage(Stage& stage, int channel, const float* input, int lowFrames, float* output) noexcept;
  void downStage(Stage& stage, int channel, const float* input, int lowFrames, float* output) noexcept;
  float* level(int index, int channel) noexcept;

  std::vector<HalfbandFilter> designs_;
  std::vector<Stage> stages_;
  // levels_[i] holds the signal at 2^i times the base rate, channels x
  // levelStrides_[i]; level 0 is used only at factor 1 (a copy of the input).
  // The top level starts with padFrames_ samples of history.
  std::vector<std::vector<float>> levels_;
  std::vector<int> levelStrides_;
  std::vector<float> accumulator_;  // one low-rate block of sums
  int factor_ = 1;
  int channels_ = 0;
  int maxBlockFrames_ = 0;
  int padFrames_ = 0;          // top-rate samples of delay that make the latency whole
  int lastHighFrames_ = 0;     // high-rate frames of the last upsample()
  int lastChannels_ = 0;
  int latencyFrames_ = 0;
  double upsampleLatencyFrames_ = 0.0;
};

}  // namespace mixdown::dsp
