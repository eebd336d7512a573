#pragma once
// The `limiter` processor: a stereo-linked lookahead brickwall limiter on true
// (oversampled, ITU-R BS.1770-4 Annex 2) or sample peaks.

#include <array>
#include <cstdint>
#include <vector>

#include "mixdown/dsp/delay_line.h"
#include "mixdown/dsp/lookahead_envelope.h"
#include "mixdown/dsp/processor.h"
#include "mixdown/dsp/true_peak.h"

namespace mixdown::dsp {

/**
 * The limiter's ceiling on its way through its stages. A change made while
 * frame n is the next to enter applies to frame n and every later frame: a
 * stage that sees frames `delay` frames after they entered takes it delay
 * frames later, so every frame is limited, checked and clamped against one
 * ceiling. Changes are kept one per frame (a second change at the same frame
 * replaces the first), so storage for the clamp's delay + 1 of them suffices.
 */
class CeilingSchedule {
public:
  struct Ceiling {
    double targetAmplitude = 1.0;  // what the envelopes bring peaks down to
    float clampAmplitude = 1.0f;   // the final clamp: the largest float <= the ceiling
  };
  enum Stage { kStageOne, kStageTwo, kClamp, kStageCount };

  /** delays: frames each stage lags the input by, the clamp's the longest. Every stage starts at ceiling. Allocates. */
  void prepare(const std::array<int, kStageCount>& delays, const Ceiling& ceiling);
  /** Every stage takes the latest ceiling (their frames were cleared) and the next frame to enter is 0. */
  void reset() noexcept;
  /**
   * The ceiling from the next frame to enter on; for every stage at once before
   * the first frame since reset() (as if prepared with it). Never allocates.
   */
  void change(const Ceiling& ceiling) noexcept;
  /**
   * Brings stage's ceiling (current()) to the one it has at frame `offset` of the chunk
   * in progress and returns for how many frames from there, at most frames, it stays.
   */
  int steadyFrames(Stage stage, int offset, int frames) noexcept;
  const Ceiling& current(Stage stage) const noexcept { return current_[stage]; }
  /** The lowest target amplitude the stage has or will take from the changes made so far. */
  double lowestTarget(Stage stage) const noexcept;
  /** The chunk in progress has entered: offsets count from the frame after it. */
  void advance(int frames) noexcept { frame_ += frames; }

private:
  struct Change {
    std::int64_t frame = 0;  // the first frame (as entered) it applies to
    Ceiling ceiling;
  };
  /** Change number index (counted since reset()) in the ring. */
  Change& at(std::int64_t index) noexcept { return changes_[slot(index)]; }
  const Change& at(std::int64_t index) const noexcept { return changes_[slot(index)]; }
  size_t slot(std::int64_t index) const noexcept {
    return static_cast<size_t>(index % static_cast<std::int64_t>(changes_.size()));
  }

  std::vector<Change> changes_;  // ring: change i at i % size, until the clamp has taken it
  std::array<int, kStageCount> delays_{};
  std::array<Ceiling, kStageCount> current_{};
  std::array<std::int64_t, kStageCount> taken_{};  // changes each stage has taken
  std::int64_t made_ = 0;                          // changes made since reset()
  std::int64_t frame_ = 0;                         // the first frame of the chunk in progress
  Ceiling latest_;
};

/**
 * Lookahead brickwall limiter, stereo linked (one gain for all channels),
 * mono or stereo.
 *
 * Stage 1 measures the input's peaks, turns each into the reduction that
 * brings it to the target, and applies that through a LookaheadEnvelope: the
 * gain reaches the full reduction at the peak along an S-shaped ramp
 * lookaheadMs long, then releases exponentially: the reduction in dB falls to
 * 1/e of its value (the gain recovers 63 % of the way in dB) in releaseMs.
 * A reduction that recurs within kRecurrenceWindowMs (a low tone's crests) is
 * held between its peaks instead of released, so a steady tone down to 20 Hz
 * gets one constant gain and no distortion from it; it releases at most that
 * window after it stops recurring (LookaheadEnvelope).
 * True peaks (true-peak mode) are the larger reading of two interpolators per
 * channel: an accurate Kaiser-windowed one (48 taps per phase, within 0.01 dB
 * up to 0.46 fs) at twice BS.1770-4's oversampling (8x below 96 kHz, 4x below
 * 192 kHz, else 2x), and a Hann-windowed one of the length BS.1770-4's
 * example filter has (48 oversampled taps) at BS.1770-4's oversampling, on the
 * same grid. Short 4x meters such as libebur128's read up to 0.11 dB high near
 * 0.33 fs and pass images near fs / 2; the second reading keeps their
 * measurement of the output under the ceiling too. A peak between frames m and
 * m + 1 sets the reduction of both.
 *
 * Stage 2 (true-peak mode only) is the safety stage. A gain that changes while
 * the interpolation filter spans it changes the inter-sample values, so the
 * true peak of gain * input can exceed gain * (true peak of input), by up to a
 * few hundredths of a dB on steep ramps (lookahead 0). Stage 2 measures stage
 * 1's output with the same interpolators and removes any excess with a short
 * envelope (48 frames of lookahead, no release). Its ramps are a fraction of a
 * dB deep and 48 frames long, so the excess it leaves is below 0.001 dB at the
 * default lookahead and below 0.02 dB at lookahead 0 (measured); the target
 * sits kTruePeakMarginDb under the ceiling to absorb it. A final clamp to
 * +-ceiling bounds sample peaks exactly (it only ever removes rounding).
 *
 * Latency: round(lookaheadMs * fs) frames, plus in true-peak mode 96 frames at
 * every rate (each stage's interpolator delay, 24, and stage 2's lookahead, 48).
 *
 * Automation (retarget()): a new ceiling applies to the frames entering from
 * then on, i.e. to the output latencyFrames() later (CeilingSchedule), so the
 * envelope ramps down ahead of a lower ceiling as ahead of a peak, and every
 * output frame keeps the guarantee for the ceiling it entered with. A new
 * release time takes effect at once. Lookahead and true-peak mode stay as prepared.
 */
class LimiterProcessor final : public Processor, public GainReductionMeter {
public:
  struct Params {
    double ceilingDb = -1.0;    // -60 .. 0 dB(TP or FS): highest output peak
    bool truePeak = true;       // limit oversampled (true) peaks, else sample peaks
    double lookaheadMs = 1.5;   // 0 .. 20 ms
    double releaseMs = 50.0;    // 1 .. 5000 ms, time constant of the recovery
  };
  static constexpr double kTruePeakMarginDb = 0.02;  // true-peak target under the ceiling
  // The program-dependent hold's window (LookaheadEnvelope's W): a tone's crests recur within it down to 20 Hz.
  static constexpr double kRecurrenceWindowMs = 25.0;
  static constexpr int kInterpolatorTapsPerPhase = TruePeakMeter::kDefaultTapsPerPhase;
  static constexpr int kStandardFilterTaps = 48;  // oversampled taps of the BS.1770-4-style companion filter

  explicit LimiterProcessor(const Params& params) : params_(params) {}

  /** Oversampling of the limiter's true-peak detector: twice BS.1770-4's (8, 4 or 2). */
  static int detectorOversampling(double sampleRateHz) noexcept;

  void prepare(const ProcessSpec& spec) override;
  void reset() noexcept override;
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;
  ProcessorProperties properties(int inputChannels) const noexcept override { return {inputChannels, latencyFrames_}; }
  int latencyFrames() const noexcept { return latencyFrames_; }

  const Params& params() const noexcept { return params_; }
  /**
   * Takes target's ceiling (for the frames entering from now on) and release at
   * once; rampFrames is unused. Lookahead and true-peak mode stay as prepared.
   * Never allocates.
   */
  void retarget(const Params& target, int rampFrames) noexcept;

  /** Largest gain reduction applied to an output frame since prepare() or reset(), in dB (>= 0). */
  double maxGainReductionDb() const noexcept override { return maxGainReductionDb_; }
  const GainReductionMeter* gainReductionMeter() const noexcept override { return this; }

private:
  void processChunk(AudioBlock io) noexcept;
  /**
   * peaks_[frame] = the largest report of meters over io's channels (true peaks
   * latencyFrames() older), exact where above targetAmplitude.
   */
  void measurePeaks(AudioBlock io, std::vector<TruePeakMeter>& meters, double targetAmplitude) noexcept;
  /** reductionDb[frame] = envelope's reduction after the push of what peaks_[frame] requires of stage's ceiling. */
  void pushRequired(LookaheadEnvelope& envelope, CeilingSchedule::Stage stage, double* reductionDb,
                    int frames) noexcept;
  /** The target and the clamp of a ceiling (the target sits kTruePeakMarginDb under it in true-peak mode). */
  CeilingSchedule::Ceiling ceilingOf(double ceilingDb) const noexcept;

  Params params_;
  ProcessSpec spec_;
  std::vector<TruePeakMeter> inputMeters_;   // stage 1: per channel, Kaiser then (below 192 kHz) Hann
  std::vector<TruePeakMeter> outputMeters_;  // stage 2: the same
  LookaheadEnvelope inputEnvelope_;
  LookaheadEnvelope outputEnvelope_;
  DelayLine inputDelay_;
  DelayLine outputDelay_;
  std::vector<float> peaks_;                 // per frame, linked over channels
  std::vector<double> stageOneReductionDb_;  // per frame of the chunk
  std::vector<double> stageTwoReductionDb_;
  std::vector<double> pendingReductionDb_;   // stage 1 reductions waiting for stage 2's delay (ring)
  CeilingSchedule ceilings_;
  double maxGainReductionDb_ = 0.0;
  int latencyFrames_ = 0;
  int pendingPosition_ = 0;
};

}  // namespace mixdown::dsp
