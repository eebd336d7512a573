#include "mixdown/dsp/allpass_diffuser.h"

#include <algorithm>
#include <cmath>

#include "mixdown/audio/decibels.h"
#include "mixdown/dsp/denormal_guard.h"

namespace mixdown::dsp {

void AllpassDiffuser::prepare(const std::vector<Stage>& stages) {
  stages_.clear();
  std::size_t size = 0;
  for (const Stage& stage : stages) {
    stages_.push_back({stage, size, 0});
    size += static_cast<std::size_t>(stage.delayFrames);
  }
  history_.assign(size, 0.0f);
}

void AllpassDiffuser::reset() noexcept {
  std::fill(history_.begin(), history_.end(), 0.0f);
  for (StageState& state : stages_) state.position = 0;
}

void AllpassDiffuser::process(float* samples, int frames) noexcept {
  for (StageState& state : stages_) {
    float* history = history_.data() + state.offset;
    const auto delay = static_cast<std::size_t>(state.stage.delayFrames);
    const float gain = state.stage.gain;
    std::size_t position = state.position;
    // In runs up to the ring's end: a run is at most one delay long, so each of its frames reads a sample
    // written before the run, and the frames vectorize.
    for (int frame = 0; frame < frames;) {
      const int run = static_cast<int>(std::min(static_cast<std::size_t>(frames - frame), delay - position));
      float* __restrict ring = history + position;
      float* __restrict io = samples + frame;
      for (int offset = 0; offset < run; ++offset) {
        const float delayed = ring[offset];
        const float fed = flushTiny(io[offset] + gain * delayed);
        io[offset] = delayed - gain * fed;
        ring[offset] = fed;
      }
      frame += run;
      position += static_cast<std::size_t>(run);
      if (position == delay) position = 0;
    }
    state.position = position;
  }
}

int AllpassDiffuser::ringFrames(double levelDb) const noexcept {
  // A stage's impulse response falls by -20 log10 |g| dB every D frames; the stages'
  // ring-outs follow one another at worst.
  double frames = 0.0;
  for (const StageState& state : stages_) {
    const double fallDbPerPass = -audio::gainToDb(std::abs(static_cast<double>(state.stage.gain)));
    frames += std::ceil(levelDb / fallDbPerPass) * state.stage.delayFrames;
  }
  return static_cast<int>(frames);
}

}  // namespace mixdown::dsp
