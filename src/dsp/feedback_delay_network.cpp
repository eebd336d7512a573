#include "mixdown/dsp/feedback_delay_network.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>

#include "mixdown/dsp/denormal_guard.h"

namespace mixdown::dsp {

namespace {

using LineArray = FeedbackDelayNetwork::LineArray;
constexpr int kLines = FeedbackDelayNetwork::kLineCount;

// Output taps: leftTaps is a fixed sign pattern / 4 (norm 1), not a row of H16, so the
// left output reads a mix of many lines; rightTaps_i = leftTaps_i (-1)^i is orthogonal
// to it, so a diffuse field gives uncorrelated outputs.
constexpr LineArray kLeftTaps = {0.25f, 0.25f, -0.25f, 0.25f, -0.25f, -0.25f, 0.25f, -0.25f,
                                 0.25f, -0.25f, 0.25f, 0.25f, -0.25f, 0.25f, 0.25f, 0.25f};
constexpr LineArray alternateSigns(const LineArray& taps) {
  LineArray result{};
  for (std::size_t line = 0; line < kLines; ++line) result[line] = line % 2 == 0 ? taps[line] : -taps[line];
  return result;
}
constexpr LineArray kRightTaps = alternateSigns(kLeftTaps);
// Input gains: sign patterns / 4 (norm 1), orthogonal to each other and to the other
// side's output taps, with leftInput . leftTaps = rightInput . rightTaps = 1/4. That
// overlap is the gain of the direct path (input -> output in the same frame): 1/4 puts
// the diffused onset at about the level of the field the lines return, rather than
// far above it.
constexpr LineArray kLeftInput = {0.25f, -0.25f, 0.25f, 0.25f, -0.25f, 0.25f, 0.25f, -0.25f,
                                  0.25f, -0.25f, 0.25f, 0.25f, 0.25f, 0.25f, -0.25f, -0.25f};
constexpr LineArray kRightInput = {0.25f, 0.25f, 0.25f, 0.25f, -0.25f, 0.25f, 0.25f, 0.25f,
                                   -0.25f, 0.25f, -0.25f, -0.25f, -0.25f, 0.25f, 0.25f, -0.25f};

/** x <- H16 x / 4: the orthogonal Sylvester-Hadamard matrix, by the fast Walsh-Hadamard transform. */
inline void mixHadamard(LineArray& values) noexcept {
  for (std::size_t half = 1; half < kLines; half *= 2)
    for (std::size_t first = 0; first < kLines; first += 2 * half)
      for (std::size_t index = first; index < first + half; ++index) {
        const float sum = values[index] + values[index + half];
        const float difference = values[index] - values[index + half];
        values[index] = sum;
        values[index + half] = difference;
      }
  for (float& value : values) value *= 0.25f;  // 1 / sqrt(16)
}

/** 10^(-3 frames / (decayS fs)): the gain that loses 60 dB in decayS when applied every `frames`. */
double decayGain(int frames, double decayS, double sampleRate) {
  return std::pow(10.0, -3.0 * frames / (decayS * sampleRate));
}

}  // namespace

void FeedbackDelayNetwork::prepare(const Design& design) {
  const int longest = *std::max_element(design.delayFrames.begin(), design.delayFrames.end());
  lineFrames_ = std::bit_ceil(static_cast<std::size_t>(longest) + 1);
  lines_.assign(lineFrames_ * kLines, 0.0f);
  // Bilinear transform prewarped at the crossover: K = tan(pi fc / fs).
  const double k = std::tan(std::numbers::pi * design.crossoverHz / design.sampleRate);
  shelfA1_ = static_cast<float>((k - 1.0) / (k + 1.0));
  for (std::size_t line = 0; line < kLines; ++line) {
    const int delay = design.delayFrames[line];
    delayFrames_[line] = static_cast<std::size_t>(delay);
    const double low = decayGain(delay, design.lowDecayS, design.sampleRate);
    const double high = decayGain(delay, design.highDecayS, design.sampleRate);
    shelfB0_[line] = static_cast<float>((high + low * k) / (1.0 + k));
    shelfB1_[line] = static_cast<float>((low * k - high) / (1.0 + k));
  }
  reset();
}

void FeedbackDelayNetwork::reset() noexcept {
  std::fill(lines_.begin(), lines_.end(), 0.0f);
  shelfState_.fill(0.0f);
  writePosition_ = 0;
}

void FeedbackDelayNetwork::process(float* left, float* right, int frames) noexcept {
  const std::size_t mask = lineFrames_ - 1;
  float* lines = lines_.data();
  LineArray values;
  for (int frame = 0; frame < frames; ++frame) {
    for (std::size_t line = 0; line < kLines; ++line)
      values[line] = lines[line * lineFrames_ + ((writePosition_ - delayFrames_[line]) & mask)];
    for (std::size_t line = 0; line < kLines; ++line) {
      const float filtered = shelfB0_[line] * values[line] + shelfState_[line];
      shelfState_[line] = flushTiny(shelfB1_[line] * values[line] - shelfA1_ * filtered);
      values[line] = filtered;
    }
    mixHadamard(values);
    const float inLeft = left[frame];
    const float inRight = right[frame];
    float outLeft = 0.0f;
    float outRight = 0.0f;
    for (std::size_t line = 0; line < kLines; ++line) {
      const float sum = flushTiny(values[line] + kLeftInput[line] * inLeft + kRightInput[line] * inRight);
      lines[line * lineFrames_ + writePosition_] = sum;
      outLeft += kLeftTaps[line] * sum;
      outRight += kRightTaps[line] * sum;
    }
    left[frame] = outLeft;
    right[frame] = outRight;
    writePosition_ = (writePosition_ + 1) & mask;
  }
}

}  // namespace mixdown::dsp
