#include "mixdown/dsp/delay_line.h"

#include <algorithm>

namespace mixdown::dsp {

DelayLine::DelayLine(int channels, int delayFrames)
    : history_(static_cast<size_t>(channels) * static_cast<size_t>(delayFrames), 0.0f),
      channels_(channels), delayFrames_(delayFrames) {}

void DelayLine::process(AudioBlock io) noexcept {
  if (delayFrames_ == 0) return;
  const int channels = std::min(channels_, io.channels());
  int position = position_;
  for (int channel = 0; channel < channels; ++channel) {
    float* samples = io.channel(channel);
    float* ring = history_.data() + static_cast<std::ptrdiff_t>(channel) * delayFrames_;
    position = position_;
    for (int frame = 0; frame < io.frames(); ++frame) {
      const float delayed = ring[position];
      ring[position] = samples[frame];
      samples[frame] = delayed;
      if (++position == delayFrames_) position = 0;
    }
  }
  position_ = position;
}

void DelayLine::reset() noexcept {
  std::fill(history_.begin(), history_.end(), 0.0f);
  position_ = 0;
}

}  // namespace mixdown::dsp
