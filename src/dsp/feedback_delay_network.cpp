#include "mixdown/dsp/feedback_delay_network.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <numbers>
#include <tuple>

#include "mixdown/dsp/denormal_guard.h"
#include "mixdown/dsp/simd_lanes.h"

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

/** Lines [8 half, 8 half + 8) of values. */
MIXDOWN_ALWAYS_INLINE FloatLanes load(const LineArray& values, int half) noexcept {
  FloatLanes lanes;
  std::memcpy(&lanes, values.data() + half * kFloatLanes, sizeof(lanes));
  return lanes;
}

/** flushTiny of every lane. */
MIXDOWN_ALWAYS_INLINE FloatLanes flushTinyLanes(FloatLanes value) noexcept {
  const FloatLanes magnitude = reinterpret_cast<FloatLanes>(reinterpret_cast<FloatLaneMask>(value) & 0x7fffffff);
  return reinterpret_cast<FloatLanes>(reinterpret_cast<FloatLaneMask>(value) &
                                      ~reinterpret_cast<FloatLaneMask>(magnitude < kTinyLevel));
}

/**
 * One butterfly stage of the Walsh-Hadamard transform within 8 lines: partner holds lane i ^ half of
 * value; the lower lane of each pair (lower set) takes the sum, the upper one the difference.
 */
MIXDOWN_ALWAYS_INLINE FloatLanes butterfly(FloatLanes value, FloatLanes partner, FloatLaneMask lower) noexcept {
  const FloatLaneMask sum = reinterpret_cast<FloatLaneMask>(value + partner);
  const FloatLaneMask difference = reinterpret_cast<FloatLaneMask>(partner - value);
  return reinterpret_cast<FloatLanes>((sum & lower) | (difference & ~lower));
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
  shortestDelay_ = *std::min_element(delayFrames_.begin(), delayFrames_.end());
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
  runLaneKernel([&] { processFramesAvx2(left, right, frames); }, [&] { processFramesBaseline(left, right, frames); });
}

// The 16 lines as two FloatLanes (lines 0-7, 8-15). Each step is the scalar
// definition's elementwise arithmetic in the same order (the Hadamard's sums
// and differences, the shelves, the input), and the two outputs are summed
// over the lines in line order, so the bits are the line-by-line loop's.
//
// Blocks of kFloatLanes frames: no line is shorter than a block, so a block's
// frames read only what was written before it, kFloatLanes consecutive
// samples per line. Those are loaded as one vector per line and transposed to
// one per frame; the frames then take the recursive part (the shelves) in
// order; their sums are transposed back, stored as one vector per line, and
// the outputs summed over the lines for all the block's frames at once, each
// frame's lane in line order. Single frames (a decay ramp, a short tail) take
// the same steps one at a time.
template <int>
MIXDOWN_ALWAYS_INLINE void FeedbackDelayNetwork::processFrames(float* left, float* right, int frames) noexcept {
  static_assert(kLines == 2 * kFloatLanes);
  const FloatLaneMask lower1 = {-1, 0, -1, 0, -1, 0, -1, 0}, lower2 = {-1, -1, 0, 0, -1, -1, 0, 0},
                      lower4 = {-1, -1, -1, -1, 0, 0, 0, 0};
  // The ring's geometry in locals: the stores into the lines could otherwise alias the members.
  const std::size_t lineFrames = lineFrames_, mask = lineFrames - 1;
  std::size_t write = writePosition_;
  std::size_t delays[kLines];
  std::copy(delayFrames_.begin(), delayFrames_.end(), delays);
  float* lines = lines_.data();
  const FloatLanes leftInput[2] = {load(kLeftInput, 0), load(kLeftInput, 1)};
  const FloatLanes rightInput[2] = {load(kRightInput, 0), load(kRightInput, 1)};
  FloatLanes state[2] = {load(shelfState_, 0), load(shelfState_, 1)};
  // One frame's lines, their outputs in, their sums (what is written into them) out.
  const auto mix = [&](FloatLanes (&values)[2], float inLeft, float inRight) {
    for (int half = 0; half < 2; ++half) {
      const FloatLanes filtered = load(shelfB0_, half) * values[half] + state[half];
      state[half] = flushTinyLanes(load(shelfB1_, half) * values[half] - shelfA1_ * filtered);
      values[half] = filtered;
    }
    for (FloatLanes& value : values) {
      value = butterfly(value, __builtin_shufflevector(value, value, 1, 0, 3, 2, 5, 4, 7, 6), lower1);
      value = butterfly(value, __builtin_shufflevector(value, value, 2, 3, 0, 1, 6, 7, 4, 5), lower2);
      value = butterfly(value, __builtin_shufflevector(value, value, 4, 5, 6, 7, 0, 1, 2, 3), lower4);
    }
    const FloatLanes low = values[0] + values[1], high = values[0] - values[1];
    values[0] = low * 0.25f;
    values[1] = high * 0.25f;
    for (int half = 0; half < 2; ++half) values[half] = flushTinyLanes(values[half] + leftInput[half] * inLeft + rightInput[half] * inRight);
  };
  // kFloatLanes consecutive samples of a ring from `position` on, sample by sample where they wrap.
  const auto readRing = [&](const float* ring, std::size_t position) {
    FloatLanes samples;
    if (position + kFloatLanes <= lineFrames) {
      std::memcpy(&samples, ring + position, sizeof(samples));
    } else {
      for (int offset = 0; offset < kFloatLanes; ++offset) samples[offset] = ring[(position + static_cast<std::size_t>(offset)) & mask];
    }
    return samples;
  };
  const auto writeRing = [&](float* ring, std::size_t position, FloatLanes samples) {
    if (position + kFloatLanes <= lineFrames) {
      std::memcpy(ring + position, &samples, sizeof(samples));
    } else {
      for (int offset = 0; offset < kFloatLanes; ++offset) ring[(position + static_cast<std::size_t>(offset)) & mask] = samples[offset];
    }
  };
  // Blocks need a steady decay, and no line shorter than a block.
  const bool blocks = shortestDelay_ >= static_cast<std::size_t>(kFloatLanes);
  int frame = 0;
  while (frame < frames) {
    if (blocks && rampFramesLeft_ == 0 && frames - frame >= kFloatLanes) {
      FloatLanes byLine[kLines];  // line l's samples for the block's frames; then its sums
#pragma GCC unroll 16
      for (std::size_t line = 0; line < kLines; ++line) byLine[line] = readRing(lines + line * lineFrames, (write - delays[line]) & mask);
      FloatLanes byFrame[2][kFloatLanes];  // [half][frame]: lines 8 half .. 8 half + 7 of one frame
      for (int half = 0; half < 2; ++half) transposeFloatLanes(byLine + half * kFloatLanes, byFrame[half]);
#pragma GCC unroll 8
      for (int offset = 0; offset < kFloatLanes; ++offset) {
        FloatLanes values[2] = {byFrame[0][offset], byFrame[1][offset]};
        mix(values, left[frame + offset], right[frame + offset]);
        byFrame[0][offset] = values[0];
        byFrame[1][offset] = values[1];
      }
      for (int half = 0; half < 2; ++half) transposeFloatLanes(byFrame[half], byLine + half * kFloatLanes);
      FloatLanes outLeft{}, outRight{};
#pragma GCC unroll 16
      for (std::size_t line = 0; line < kLines; ++line) {
        writeRing(lines + line * lineFrames, write, byLine[line]);
        outLeft += kLeftTaps[line] * byLine[line];
        outRight += kRightTaps[line] * byLine[line];
      }
      std::memcpy(left + frame, &outLeft, sizeof(outLeft));
      std::memcpy(right + frame, &outRight, sizeof(outRight));
      write = (write + kFloatLanes) & mask;
      frame += kFloatLanes;
      continue;
    }
    alignas(32) float sums[kLines];  // the lines' outputs, then what is written into them
    for (std::size_t line = 0; line < kLines; ++line)
      sums[line] = lines[line * lineFrames + ((write - delays[line]) & mask)];
    FloatLanes values[2];
    std::memcpy(values, sums, sizeof(values));
    mix(values, left[frame], right[frame]);
    std::memcpy(sums, values, sizeof(values));
    float outLeft = 0.0f;
    float outRight = 0.0f;
    for (std::size_t line = 0; line < kLines; ++line) {
      lines[line * lineFrames + write] = sums[line];
      outLeft += kLeftTaps[line] * sums[line];
      outRight += kRightTaps[line] * sums[line];
    }
    left[frame] = outLeft;
    right[frame] = outRight;
    write = (write + 1) & mask;
    if (rampFramesLeft_ > 0) stepShelves();
    ++frame;
  }
  writePosition_ = write;
  std::memcpy(shelfState_.data(), &state[0], sizeof(state[0]));
  std::memcpy(shelfState_.data() + kFloatLanes, &state[1], sizeof(state[1]));
}

MIXDOWN_TARGET_AVX2 void FeedbackDelayNetwork::processFramesAvx2(float* left, float* right, int frames) noexcept {
  processFrames(left, right, frames);
}

void FeedbackDelayNetwork::processFramesBaseline(float* left, float* right, int frames) noexcept {
  processFrames(left, right, frames);
}

}  // namespace mixdown::dsp
