#include "mixdown/dsp/allpass_diffuser.h"

#include <algorithm>
#include <cmath>

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
    for (int frame = 0; frame < frames; ++frame) {
      const float delayed = history[position];
      const float fed = flushTiny(samples[frame] + gain * delayed);
      samples[frame] = delayed - gain * fed;
      history[position] = fed;
      position = position + 1 == delay ? 0 : position + 1;
    }
    state.position = position;
  }
}

int AllpassDiffuser::ringFrames(double levelDb) const noexcept {
  // A stage's impulse response falls by -20 log10 |g| dB every D frames; the stages'
  // ring-outs follow one another at worst.
  double frames = 0.0;
  for (const StageState& state : stages_) {
    const double fallDbPerPass = -20.0 * std::log10(std::abs(static_cast<double>(state.stage.gain)));
    frames += std::ceil(levelDb / fallDbPerPass) * state.stage.delayFrames;
  }
  return static_cast<int>(frames);
}

}  // namespace mixdown::dsp
