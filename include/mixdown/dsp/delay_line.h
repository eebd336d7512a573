#pragma once
// A fixed delay of a whole number of frames, for latency compensation and for
// bypassing a latent processor. Storage is sized once, in the constructor.

#include <vector>

#include "mixdown/audio/audio_block.h"

namespace mixdown::dsp {

class DelayLine {
public:
  DelayLine() = default;
  DelayLine(int channels, int delayFrames);

  int delayFrames() const noexcept { return delayFrames_; }
  /** Delays io in place (its first `channels` channels). */
  void process(AudioBlock io) noexcept;
  void reset() noexcept;

private:
  std::vector<float> history_;  // channels x delayFrames: the last delayFrames inputs, oldest first
  std::vector<float> scratch_;  // one channel's worth, to swap with its history
  int channels_ = 0;
  int delayFrames_ = 0;
};

/** source copied into scratch (as many channels as scratch has, its frames) and delayed there by line. */
ConstAudioBlock delayedCopy(DelayLine& line, ConstAudioBlock source, AudioBuffer& scratch) noexcept;

}  // namespace mixdown::dsp
