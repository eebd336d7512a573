#include "mixdown/dsp/dc_blocker.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "mixdown/dsp/denormal_guard.h"

namespace mixdown::dsp {

void DcBlocker::prepare(int channels, double cutoffHz, double sampleRate) {
  pole_ = std::exp(-2.0 * std::numbers::pi * cutoffHz / sampleRate);
  previousInput_.assign(static_cast<std::size_t>(channels), 0.0);
  previousOutput_.assign(static_cast<std::size_t>(channels), 0.0);
}

void DcBlocker::reset() noexcept {
  std::fill(previousInput_.begin(), previousInput_.end(), 0.0);
  std::fill(previousOutput_.begin(), previousOutput_.end(), 0.0);
}

void DcBlocker::process(AudioBlock io) noexcept {
  const int channelCount = std::min(io.channels(), channels());
  for (int channel = 0; channel < channelCount; ++channel) {
    const auto index = static_cast<std::size_t>(channel);
    double input1 = previousInput_[index];
    double output1 = previousOutput_[index];
    float* samples = io.channel(channel);
    for (int frame = 0; frame < io.frames(); ++frame) {
      const double input = samples[frame];
      output1 = input - input1 + pole_ * output1;
      if (std::abs(output1) < kTinyLevel) output1 = 0.0;  // per sample, so the output is blind to block splits
      input1 = input;
      samples[frame] = static_cast<float>(output1);
    }
    previousInput_[index] = input1;
    previousOutput_[index] = output1;
  }
}

}  // namespace mixdown::dsp
