#pragma once
// The `reverb` processor: an algorithmic stereo reverb.
//
// Signal path of the wet signal, per channel then shared:
//   predelay: round(predelayMs fs / 1000) whole frames;
//   input diffusion: eight Schroeder allpasses per channel (allpass_diffuser.h), of
//     0.76 .. 12.7 ms at size 1 scaled by the room scale, different for left and right
//     (the four shortest first: a dense onset, echo density 0.9 within about 20 ms);
//   late field: a 16-line feedback delay network (feedback_delay_network.h), line
//     lengths spread geometrically over kShortestLineMs .. kLongestLineMs scaled by the
//     room scale, with absorption that makes decayS the RT60 below the damping
//     crossover and decayS (1 - kDampingDepth damping) the RT60 above it;
//   width: left' = (1 + w) / 2 left + (1 - w) / 2 right, right' likewise (mid/side, the
//     side scaled by width).
// Every delay is a distinct prime number of frames, so no two share a resonance.
// Room scale = kSmallestRoomScale + (1 - kSmallestRoomScale) size.
// Neither the diffusers nor the network delay their first output sample, so the
// first wet sample of an impulse lands exactly predelay frames after it.
// Output: (1 - mix) dry + mix wet, always stereo; no latency. No modulation, no noise:
// the output depends only on the input.
// Subnormals: internal states below -600 dB are set to 0 and the wet output never
// holds a subnormal, so the reverb needs no FTZ/DAZ.

#include <array>

#include "mixdown/dsp/allpass_diffuser.h"
#include "mixdown/dsp/delay_line.h"
#include "mixdown/dsp/feedback_delay_network.h"
#include "mixdown/dsp/linear_ramp.h"
#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

class ReverbProcessor final : public Processor {
public:
  static constexpr double kShortestLineMs = 30.0;     // network line lengths at size 1
  static constexpr double kLongestLineMs = 100.0;
  static constexpr double kSmallestRoomScale = 0.2;   // every length's factor at size 0 (1 at size 1)
  static constexpr double kDampingCrossoverHz = 4000.0;  // at most 0.4 fs (low rates)
  static constexpr double kDampingDepth = 0.75;       // damping 1: highs decay 4 x faster
  static constexpr double kTailLevelDb = 96.0;        // tailFrames(): until the wet is 96 dB down

  struct Params {
    double decayS = 1.8;      // 0.1 .. 30: RT60 of the wet signal below the damping crossover
    double predelayMs = 20;   // 0 .. 500: delay of the first wet sample
    double size = 0.6;        // 0 .. 1: room size, scales every delay
    double damping = 0.5;     // 0 .. 1: high frequencies decay faster (see kDampingDepth)
    double width = 1;         // 0 .. 1: stereo width of the wet signal (0: mono)
    double mix = 1;           // 0 .. 1: (1 - mix) dry + mix wet
  };

  explicit ReverbProcessor(const Params& params) : params_(params) {}

  void prepare(const ProcessSpec& spec) override;
  void reset() noexcept override;
  /** io has two channels (the graph duplicates a mono input first). */
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;
  /** Stereo out; no latency; tailFrames() and silentGapFrames(). */
  ProcessorProperties properties(int) const noexcept override { return {2, 0, tailFrames(), silentGapFrames()}; }
  /** The predelay, the diffusers' ring-out and the network's decay to -kTailLevelDb. */
  int tailFrames() const noexcept { return tailFrames_; }
  /** The predelay: silence before the wet signal of a sound that has ended. */
  int silentGapFrames() const noexcept { return predelay_.delayFrames(); }

  const Params& params() const noexcept { return params_; }
  /**
   * Decay and damping redesign the lines' absorption filters, whose
   * coefficients move linearly over rampFrames frames; width and mix ramp per
   * sample (at once when rampFrames <= 0). Size and predelay, which set delay
   * lengths, stay as prepared; so does tailFrames().
   */
  void retarget(const Params& target, int rampFrames) noexcept;

private:
  static constexpr int kChunkFrames = 256;  // frames of the wet scratch

  void processChunk(AudioBlock io) noexcept;

  Params params_;
  DelayLine predelay_;
  std::array<AllpassDiffuser, 2> diffusers_;  // left, right
  FeedbackDelayNetwork network_;
  AudioBuffer wet_;  // 2 x kChunkFrames
  // 1 - mix, mix, (1 + width) / 2 and (1 - width) / 2; they always ramp together.
  LinearRamp dryGain_, wetGain_, sameSide_, otherSide_;
  int tailFrames_ = 0;
};

}  // namespace mixdown::dsp
