#include "mixdown/dsp/delay_line.h"

#include <algorithm>
#include <cstring>

namespace mixdown::dsp {

DelayLine::DelayLine(int channels, int delayFrames)
    : history_(static_cast<size_t>(channels) * static_cast<size_t>(delayFrames), 0.0f),
      scratch_(static_cast<size_t>(delayFrames), 0.0f), channels_(channels), delayFrames_(delayFrames) {}

void DelayLine::process(AudioBlock io) noexcept {
  if (delayFrames_ == 0) return;
  const int channels = std::min(channels_, io.channels());
  const auto delay = static_cast<size_t>(delayFrames_);
  const auto frames = static_cast<size_t>(io.frames());
  // Block copies rather than a per-sample ring: the output is the history followed
  // by the input, and the new history is the last `delay` frames of that sequence.
  for (int channel = 0; channel < channels; ++channel) {
    float* samples = io.channel(channel);
    float* history = history_.data() + static_cast<size_t>(channel) * delay;
    float* scratch = scratch_.data();
    if (frames >= delay) {
      std::memcpy(scratch, samples + (frames - delay), delay * sizeof(float));
      std::memmove(samples + delay, samples, (frames - delay) * sizeof(float));
      std::memcpy(samples, history, delay * sizeof(float));
      std::memcpy(history, scratch, delay * sizeof(float));
    } else {
      std::memcpy(scratch, samples, frames * sizeof(float));
      std::memcpy(samples, history, frames * sizeof(float));
      std::memmove(history, history + frames, (delay - frames) * sizeof(float));
      std::memcpy(history + (delay - frames), scratch, frames * sizeof(float));
    }
  }
}

void DelayLine::reset() noexcept { std::fill(history_.begin(), history_.end(), 0.0f); }

ConstAudioBlock delayedCopy(DelayLine& line, ConstAudioBlock source, AudioBuffer& scratch) noexcept {
  AudioBlock copy = scratch.block(scratch.channels(), source.frames());
  for (int channel = 0; channel < copy.channels(); ++channel) copy.array(channel) = source.array(channel);
  line.process(copy);
  return copy;
}

}  // namespace mixdown::dsp
