#include "mixdown/dsp/feedback_delay_network.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>
#include <tuple>

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
  sampleRate_ = design.sampleRate;
  prewarp_ = std::tan(std::numbers::pi * design.crossoverHz / design.sampleRate);
  shelfA1_ = static_cast<float>((prewarp_ - 1.0) / (prewarp_ + 1.0));
  for (std::size_t line = 0; line < kLines; ++line) delayFrames_[line] = static_cast<std::size_t>(design.delayFrames[line]);
  setDecay(design.lowDecayS, design.highDecayS, 0);
  reset();
}

std::pair<LineArray, LineArray> FeedbackDelayNetwork::shelfCoefficients(double lowDecayS,
                                                                        double highDecayS) const noexcept {
  const double k = prewarp_;
  std::pair<LineArray, LineArray> coefficients;
  for (std::size_t line = 0; line < kLines; ++line) {
    const auto delay = static_cast<int>(delayFrames_[line]);
    const double low = decayGain(delay, lowDecayS, sampleRate_);
    const double high = decayGain(delay, highDecayS, sampleRate_);
    coefficients.first[line] = static_cast<float>((high + low * k) / (1.0 + k));
    coefficients.second[line] = static_cast<float>((low * k - high) / (1.0 + k));
  }
  return coefficients;
}

void FeedbackDelayNetwork::setDecay(double lowDecayS, double highDecayS, int rampFrames) noexcept {
  std::tie(shelfB0Target_, shelfB1Target_) = shelfCoefficients(lowDecayS, highDecayS);
  if (rampFrames <= 0) {
    shelfB0_ = shelfB0Target_;
    shelfB1_ = shelfB1Target_;
    rampFramesLeft_ = 0;
    return;
  }
  for (std::size_t line = 0; line < kLines; ++line) {
    shelfB0Step_[line] = (shelfB0Target_[line] - shelfB0_[line]) / static_cast<float>(rampFrames);
    shelfB1Step_[line] = (shelfB1Target_[line] - shelfB1_[line]) / static_cast<float>(rampFrames);
  }
  rampFramesLeft_ = rampFrames;
}

void FeedbackDelayNetwork::stepShelves() noexcept {
  if (--rampFramesLeft_ == 0) {
    shelfB0_ = shelfB0Target_;
    shelfB1_ = shelfB1Target_;
    return;
  }
  for (std::size_t line = 0; line < kLines; ++line) {
    shelfB0_[line] += shelfB0Step_[line];
    shelfB1_[line] += shelfB1Step_[line];
  }
}

void FeedbackDelayNetwork::reset() noexcept {
  std::fill(lines_.begin(), lines_.end(), 0.0f);
  shelfState_.fill(0.0f);
  writePosition_ = 0;
  shelfB0_ = shelfB0Target_;  // a pending decay ramp ends at once
  shelfB1_ = shelfB1Target_;
  rampFramesLeft_ = 0;
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
    if (rampFramesLeft_ > 0) stepShelves();
  }
}

}  // namespace mixdown::dsp
