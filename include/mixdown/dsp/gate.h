#pragma once
// The `gate` processor: a noise gate (ratio 0) or a downward expander (ratio > 1),
// built from LevelDetector (peak, stereo linked) -> GateHysteresis -> GainComputer
// -> apply.
//
// Key: the `key` input of process() when it is not empty, else the input itself;
// optionally highpassed (RBJ 12 dB/oct, Q 1/sqrt 2) before detection.
// Static curve (gain in dB for a peak level x and threshold T):
//   gate (ratio 0):        0 for x >= T, rangeDb for x < T;
//   expander (ratio R > 1): -(R - 1)(T - x) for x < T (the output falls R dB per
//                          input dB), 0 for x >= T; never below rangeDb.
// A ratio between 0 and 1 is treated as 1 (no expansion).
// Hysteresis (gate_hysteresis.h): the gate opens when the level reaches T and
// closes when it falls below T - hysteresisDb; in between it stays as it was.
// Ballistics (gain_computer.h), on the gain in dB: opening (rising gain) covers
// 1 - 1/e (63.2 %) of its step in attackMs; when the level falls, the gain holds
// for round(holdMs fs / 1000) frames, then closing covers 63.2 % of its step in
// releaseMs. Coefficients exp(-1 / (tau fs)). After prepare() and reset() the gate
// is closed (gain rangeDb), as after a long silence. No latency.
// Automation (retarget()): every parameter changes at once for the next frame,
// keeping the detector's and ballistics' state, so a new range or curve is
// reached through the attack or release; a ratio may move between 0 (gate) and
// an expander's.

#include <optional>
#include <vector>

#include "mixdown/dsp/gain_computer.h"
#include "mixdown/dsp/gate_hysteresis.h"
#include "mixdown/dsp/level_detector.h"
#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

class GateProcessor final : public Processor, public GainReductionMeter {
public:

  struct Params {
    double thresholdDb = -50.0;  // -120 .. 0; peak level below which the gate closes
    double rangeDb = -80.0;      // <= 0: gain when fully closed (the expander's floor)
    double ratio = 0.0;          // 0: hard gate; > 1: downward expander
    double attackMs = 1.0;       // >= 0: time constant of opening
    double holdMs = 10.0;        // >= 0: time held open after the level falls below the threshold
    double releaseMs = 100.0;    // >= 0: time constant of closing
    double hysteresisDb = 0.0;   // >= 0: the gate closes below thresholdDb - hysteresisDb
    std::optional<double> keyHighpassHz;  // highpass on the key before detection
  };

  explicit GateProcessor(const Params& params) : params_(params) {}

  void prepare(const ProcessSpec& spec) override;
  void reset() noexcept override;
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;

  const Params& params() const noexcept { return params_; }
  /**
   * Takes target's threshold, hysteresis, range, ratio and time constants at once (rampFrames
   * is unused: none of them is a gain that ramps); before the first frame since
   * prepare() or reset() the gate starts closed at the new range. The key
   * highpass stays as prepared. Never allocates.
   */
  void retarget(const Params& target, int rampFrames) noexcept;
  /** The largest attenuation applied since prepare() or reset(), in dB (>= 0): -rangeDb once the gate has closed. */
  double maxGainReductionDb() const noexcept override { return maxGainReductionDb_; }
  const GainReductionMeter* gainReductionMeter() const noexcept override { return this; }

private:
  void processChunk(AudioBlock io, ConstAudioBlock key) noexcept;
  /** The gain computer's part of params_. */
  GainComputer::Params computerParams() const noexcept;
  /** The computer's and the hysteresis' settings from params_; the detector's range just beyond where they are flat. */
  void tune() noexcept;

  Params params_;
  LevelDetector detector_;
  GateHysteresis hysteresis_;
  GainComputer computer_;
  std::vector<double> levelDb_;  // per frame of a chunk: the key's level, then the attenuation (dB)
  std::vector<float> gain_;      // per frame of a chunk, linear
  int maxChunkFrames_ = 0;
  double maxGainReductionDb_ = 0.0;
  bool started_ = false;  // frames were processed since prepare() or reset()
};

}  // namespace mixdown::dsp
