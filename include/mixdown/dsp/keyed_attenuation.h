#pragma once
// The key -> LevelDetector -> GainComputer chain that the compressor and the gate
// share: the attenuation of every frame of a key, as a linear gain, and the largest
// attenuation so far.

#include <algorithm>
#include <cmath>
#include <vector>

#include "mixdown/audio/audio_block.h"
#include "mixdown/dsp/fast_math.h"
#include "mixdown/dsp/gain_computer.h"
#include "mixdown/dsp/level_detector.h"

namespace mixdown::dsp {

class KeyedAttenuation {
public:
  static constexpr double kNepersPerDb = 0.11512925464970229;  // ln(10) / 20: 10^(dB / 20) = exp(dB * this)

  /**
   * May allocate. Limits the detector's range to just beyond the computer's flat
   * regions (where the curve cannot tell levels apart); process() then takes keys of
   * up to maxChunkFrames (at least 1) frames. Ends with reset().
   */
  void prepare(const LevelDetector::Params& detector, const GainComputer::Params& computer, double sampleRate,
               int maxChunkFrames);
  /** Clears the detector's and computer's state and the largest attenuation. */
  void reset() noexcept;
  /**
   * The computer takes the curve and time constants of computer from the next frame
   * on (GainComputer::retune) and the detector's range follows its flat regions;
   * every state stays. Before the first frame since prepare() or reset() the
   * computer starts from the new curve's silence instead, as if prepared with it.
   * Never allocates.
   */
  void retune(const GainComputer::Params& computer) noexcept;

  /** Frames process() takes at once; 0 before prepare(). */
  int maxChunkFrames() const noexcept { return maxChunkFrames_; }
  const LevelDetector& detector() const noexcept { return detector_; }
  const GainComputer& computer() const noexcept { return computer_; }
  /** The largest attenuation since prepare() or reset(), in dB (>= 0). */
  double maxGainReductionDb() const noexcept { return maxGainReductionDb_; }

  /**
   * Detects key (at most maxChunkFrames() frames) and calls useGain(frame, gain) for
   * every frame in order, gain = 10^(-attenuationDb / 20) of that frame's attenuation
   * (through fastDbToGain: within 1e-10 relative).
   */
  template <typename UseGain>
  void process(ConstAudioBlock key, UseGain&& useGain) noexcept {
    const int frames = key.frames();
    started_ = true;
    detector_.process(key, levelDb_.data());
    // The ballistics are a recursion, one frame after another; the gains are
    // not, so they are computed in a second loop whose frames the CPU overlaps.
    double largest = maxGainReductionDb_;
    for (int frame = 0; frame < frames; ++frame) {
      double& value = levelDb_[static_cast<size_t>(frame)];  // the level in, the attenuation (dB) out
      value = computer_.process(value);
      largest = std::max(largest, value);
    }
    for (int frame = 0; frame < frames; ++frame) useGain(frame, fastDbToGain(-levelDb_[static_cast<size_t>(frame)]));
    maxGainReductionDb_ = largest;
  }

private:
  /** The detector's range: just beyond the computer's flat regions. */
  void limitDetectorRange() noexcept;

  LevelDetector detector_;
  GainComputer computer_;
  std::vector<double> levelDb_;  // per frame of a chunk: the key's level, then the attenuation
  int maxChunkFrames_ = 0;
  double maxGainReductionDb_ = 0.0;
  bool started_ = false;  // frames were processed since prepare() or reset()
};

}  // namespace mixdown::dsp
