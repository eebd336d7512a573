#pragma once
// The `delay` processor: a feedback delay (echo) with optional ping-pong and
// low/high cut filters inside the feedback loop.

#include <cstdint>
#include <optional>
#include <vector>

#include "mixdown/dsp/biquad.h"
#include "mixdown/dsp/linear_ramp.h"
#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

/**
 * Feedback delay of a whole number of frames D = max(1, round(timeMs * fs / 1000))
 * (round half away from zero). Per channel the loop is
 *   s[n]   = F(x[n] + feedback * s[n - D])      F: lowcut then highcut, 12 dB/oct each
 *   wet[n] = s[n - D]
 *   y[n]   = (1 - mix) * x[n] + mix * wet[n]
 * so an impulse returns at D, 2D, 3D, ... frames with amplitudes 1, feedback,
 * feedback^2, ... (each repeat filtered once more than the one before).
 *
 * Ping-pong makes the output stereo: the input's mono sum (the average of
 * the channels) feeds the left line, and the lines cross-feed:
 *   a[n] = F(m[n] + feedback * b[n - D]),  b[n] = F(feedback * a[n - D])
 *   wetL[n] = a[n - D],  wetR[n] = b[n - D]
 * so repeats alternate left (1 at D), right (feedback at 2D), left
 * (feedback^2 at 3D), ...
 *
 * The lines hold exactly D frames, and a block is processed in runs of at most
 * D frames, inside which every s[n - D] is already known: the loop runs as
 * vector operations whatever D is, and the output does not depend on how the
 * input is split into blocks.
 */
class DelayProcessor final : public Processor {
public:
  struct Params {
    double timeMs = 250.0;                // > 0; 0 gives the shortest delay, one frame
    double feedback = 0.3;                // 0 .. 0.95
    double mix = 0.3;                     // (1 - mix) * dry + mix * wet
    bool pingPong = false;
    std::optional<double> lowcutHz;       // highpass (RBJ, Q 1/sqrt 2) in the loop
    std::optional<double> highcutHz;      // lowpass (RBJ, Q 1/sqrt 2) in the loop
  };
  /** Repeats until feedback^k falls below -96 dB, for the tail; at least one. */
  static int audibleRepeats(double feedback) noexcept;

  explicit DelayProcessor(const Params& params) : params_(params) {}

  /** D for the rate: max(1, round(timeMs * sampleRateHz / 1000)). */
  static int delayFramesFor(double timeMs, double sampleRateHz) noexcept;

  void prepare(const ProcessSpec& spec) override;
  void reset() noexcept override;
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;
  /** Ping-pong makes a mono input stereo; the tail is tailFrames(), the silent gap one repeat (delayFrames). */
  ProcessorProperties properties(int inputChannels) const noexcept override {
    return {params_.pingPong ? 2 : inputChannels, 0, tailFrames(), delayFrames_};
  }
  int tailFrames() const noexcept;

  const Params& params() const noexcept { return params_; }
  /**
   * Feedback and mix ramp per sample over rampFrames frames; the loop filters
   * present at prepare() move their coefficients there linearly (at once when
   * rampFrames <= 0). The time, ping-pong and which filters exist stay as
   * prepared; so does tailFrames().
   */
  void retarget(const Params& target, int rampFrames) noexcept;

private:
  /** Filters frames of the loop signal of every line through one filter (channel = line), ramping its coefficients. */
  static void filterLine(Biquad& filter, BiquadCoefficientRamp& ramp, AudioBlock loop) noexcept;
  /** Runs of at most D frames of io, starting at the line position position_. */
  void processRun(AudioBlock io, int frames) noexcept;
  /** Filters the loop signal of every line (channel = line) in place. */
  void filterLoop(AudioBlock loop) noexcept;

  Params params_;
  int delayFrames_ = 1;
  int lines_ = 1;                         // channels, or 2 for ping-pong
  int position_ = 0;                      // read/write index into every line
  std::vector<float> line_;               // lines_ x delayFrames_: s[n - D] .. s[n - 1], a ring
  std::vector<float> wet_;                // lines_ x maxBlockFrames: the run's s[n - D]
  std::vector<float> loop_;               // lines_ x maxBlockFrames: the run's s[n]
  int scratchStride_ = 0;
  std::vector<float> feedbackValues_;     // maxBlockFrames: the run's feedback, then its mix, per frame
  std::vector<float> mixValues_;
  double sampleRate_ = 48000.0;
  LinearRamp feedback_;
  LinearRamp mix_;
  Biquad lowcut_;                         // one state per line
  Biquad highcut_;
  BiquadCoefficientRamp lowcutRamp_;
  BiquadCoefficientRamp highcutRamp_;
};

}  // namespace mixdown::dsp
