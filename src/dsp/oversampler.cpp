#include "mixdown/dsp/oversampler.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <numbers>
#include <stdexcept>

#include "mixdown/audio/decibels.h"

namespace mixdown::dsp {

namespace {

std::size_t sizeOf(int count) { return static_cast<std::size_t>(count); }

/** Kaiser's beta for a stopband attenuation of attenuationDb (Oppenheim and Schafer eq. 7.62). */
double kaiserBeta(double attenuationDb) {
  if (attenuationDb > 50.0) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21.0) return 0.5842 * std::pow(attenuationDb - 21.0, 0.4) + 0.07886 * (attenuationDb - 21.0);
  return 0.0;
}

int log2Of(int factor) {
  int stages = 0;
  while ((1 << stages) < factor) ++stages;
  return stages;
}

/** The ideal half-band sin(pi n / 2) / (pi n) under a Kaiser window spanning n = -M .. M. */
HalfbandFilter windowedHalfband(int halfLength, double beta) {
  HalfbandFilter filter;
  filter.halfLength = halfLength;
  filter.oddTaps.resize(sizeOf(halfLength + 1));
  const double windowNorm = std::cyl_bessel_i(0.0, beta);
  double sum = 0.0;
  for (int index = 0; index <= halfLength; ++index) {
    const int n = 2 * index - halfLength;  // odd, -M .. M
    const double position = static_cast<double>(n) / halfLength;
    const double window =
        std::cyl_bessel_i(0.0, beta * std::sqrt(std::max(0.0, 1.0 - position * position))) / windowNorm;
    const double ideal = std::sin(std::numbers::pi * n / 2.0) / (std::numbers::pi * n);  // +-1 / (pi n)
    filter.oddTaps[sizeOf(index)] = ideal * window;
    sum += ideal * window;
  }
  for (double& tap : filter.oddTaps) tap *= 0.5 / sum;  // DC gain exactly 1
  return filter;
}

}  // namespace

HalfbandFilter designHalfband(double transitionWidth, double attenuationDb) {
  if (!(transitionWidth > 0.0 && transitionWidth < 0.5)) throw std::invalid_argument("half-band transition width");
  const double beta = kaiserBeta(attenuationDb);
  const double order = (attenuationDb - 7.95) / (2.285 * 2.0 * std::numbers::pi * transitionWidth);
  int halfLength = std::max(1, static_cast<int>(std::ceil(order / 2.0)));
  if (halfLength % 2 == 0) ++halfLength;  // odd M: the outermost taps are odd, hence nonzero

  // Kaiser's order formula is approximate (short filters fall a few dB short),
  // so the design is checked on a dense grid over the stopband, [1/4 + width/2,
  // 1/2] of the high rate, and lengthened until it meets attenuationDb.
  const double stopbandEdge = 0.25 + transitionWidth / 2.0;
  const double allowedLeak = audio::dbToGain(-attenuationDb);
  while (true) {
    HalfbandFilter filter = windowedHalfband(halfLength, beta);
    const int points = 16 * (2 * halfLength + 1);
    double leak = 0.0;
    for (int point = 0; point <= points; ++point)
      leak = std::max(leak, halfbandMagnitude(filter, stopbandEdge + (0.5 - stopbandEdge) * point / points));
    if (leak <= allowedLeak || halfLength > 4096) return filter;
    halfLength += 2;
  }
}

double halfbandMagnitude(const HalfbandFilter& filter, double normalizedFrequency) {
  double response = 0.5;
  for (int index = 0; index <= filter.halfLength; ++index) {
    const int n = 2 * index - filter.halfLength;
    response += filter.oddTaps[sizeOf(index)] * std::cos(2.0 * std::numbers::pi * normalizedFrequency * n);
  }
  return std::abs(response);
}

void Oversampler::prepare(const OversamplerSpec& spec) {
  if (spec.factor != 1 && spec.factor != 2 && spec.factor != 4 && spec.factor != 8)
    throw std::invalid_argument("oversampling factor must be 1, 2, 4 or 8");
  if (spec.channels < 1 || spec.maxBlockFrames < 1 || !(spec.sampleRate > 0.0) || !(spec.passbandHz > 0.0))
    throw std::invalid_argument("oversampler spec");
  factor_ = spec.factor;
  channels_ = spec.channels;
  maxBlockFrames_ = spec.maxBlockFrames;
  const int stageCount = log2Of(factor_);

  // Band edges as fractions of the base rate. The first stage passes the audio
  // band [0, edge] and stops from 1 - edge, where the first image of the band
  // begins. A later stage (low rate r) only has to keep [0, 1 - edge], all the
  // first stage lets through, and stops its first image, from r - (1 - edge).
  const double edge = std::min(spec.passbandHz / spec.sampleRate, kMaxPassbandFraction);
  designs_.clear();
  stages_.assign(sizeOf(stageCount), Stage{});
  for (int index = 0; index < stageCount; ++index) {
    const double lowRate = static_cast<double>(1 << index);
    const double passband = index == 0 ? edge : 1.0 - edge;
    const double stopband = lowRate - passband;
    designs_.push_back(designHalfband((stopband - passband) / (2.0 * lowRate), spec.stopbandDb));

    const HalfbandFilter& design = designs_.back();
    Stage& stage = stages_[sizeOf(index)];
    stage.taps = design.halfLength + 1;
    stage.halfDelay = (design.halfLength + 1) / 2;
    stage.maxLowFrames = maxBlockFrames_ << index;
    for (const double tap : design.oddTaps) {
      stage.upTaps.push_back(static_cast<float>(2.0 * tap));
      stage.downTaps.push_back(static_cast<float>(tap));
    }
    stage.upHistory.assign(sizeOf(channels_ * (stage.taps - 1 + stage.maxLowFrames)), 0.0f);
    stage.downEven.assign(sizeOf(channels_ * (stage.taps - 1 + stage.maxLowFrames)), 0.0f);
    stage.downOdd.assign(sizeOf(channels_ * (stage.halfDelay + stage.maxLowFrames)), 0.0f);
  }

  // Stage i delays by M_i samples at 2^(i+1) x the base rate in each direction,
  // that is M_i * factor / 2^(i+1) samples at the top rate.
  int upDelayTop = 0;
  for (int index = 0; index < stageCount; ++index)
    upDelayTop += designs_[sizeOf(index)].halfLength * (factor_ >> (index + 1));
  padFrames_ = (factor_ - (2 * upDelayTop) % factor_) % factor_;
  latencyFrames_ = (2 * upDelayTop + padFrames_) / factor_;
  upsampleLatencyFrames_ = static_cast<double>(upDelayTop + padFrames_) / factor_;

  levels_.assign(sizeOf(stageCount + 1), {});
  levelStrides_.assign(sizeOf(stageCount + 1), 0);
  for (int index = 0; index <= stageCount; ++index) {
    if (index == 0 && stageCount > 0) continue;  // the base rate lives in the caller's blocks
    const int stride = (maxBlockFrames_ << index) + (index == stageCount ? padFrames_ : 0);
    levelStrides_[sizeOf(index)] = stride;
    levels_[sizeOf(index)].assign(sizeOf(channels_ * stride), 0.0f);
  }
  accumulator_.assign(sizeOf(std::max(1, maxBlockFrames_ * factor_ / 2)), 0.0f);
  lastHighFrames_ = 0;
  lastChannels_ = 0;
}

void Oversampler::reset() noexcept {
  for (Stage& stage : stages_) {
    std::fill(stage.upHistory.begin(), stage.upHistory.end(), 0.0f);
    std::fill(stage.downEven.begin(), stage.downEven.end(), 0.0f);
    std::fill(stage.downOdd.begin(), stage.downOdd.end(), 0.0f);
  }
  for (auto& samples : levels_) std::fill(samples.begin(), samples.end(), 0.0f);
  lastHighFrames_ = 0;
  lastChannels_ = 0;
}

float* Oversampler::level(int index, int channel) noexcept {
  return levels_[sizeOf(index)].data() + static_cast<std::ptrdiff_t>(channel) * levelStrides_[sizeOf(index)];
}

AudioBlock Oversampler::upsample(ConstAudioBlock input) noexcept {
  assert(input.frames() <= maxBlockFrames_ && input.channels() <= channels_);
  const int stageCount = static_cast<int>(stages_.size());
  const int channels = std::min(input.channels(), channels_);
  const int frames = input.frames();
  for (int channel = 0; channel < channels; ++channel) {
    float* top = level(stageCount, channel);
    // The pad delay: the last padFrames_ samples of the previous high-rate block
    // (never shown to the caller) come first.
    if (padFrames_ > 0 && lastHighFrames_ > 0)
      std::memmove(top, top + lastHighFrames_, sizeOf(padFrames_) * sizeof(float));
    if (stageCount == 0) {
      std::copy_n(input.channel(channel), frames, top);
      continue;
    }
    const float* source = input.channel(channel);
    int lowFrames = frames;
    for (int index = 0; index < stageCount; ++index) {
      float* destination = index + 1 == stageCount ? top + padFrames_ : level(index + 1, channel);
      upStage(stages_[sizeOf(index)], channel, source, lowFrames, destination);
      source = destination;
      lowFrames *= 2;
    }
  }
  lastHighFrames_ = frames * factor_;
  lastChannels_ = channels;
  return AudioBlock(level(stageCount, 0), channels, lastHighFrames_, levelStrides_[sizeOf(stageCount)]);
}

void Oversampler::downsample(AudioBlock output) noexcept {
  assert(output.frames() * factor_ == lastHighFrames_);
  const int stageCount = static_cast<int>(stages_.size());
  const int channels = std::min(output.channels(), lastChannels_);
  const int frames = output.frames();
  for (int channel = 0; channel < channels; ++channel) {
    const float* source = level(stageCount, channel);
    if (stageCount == 0) {
      std::copy_n(source, frames, output.channel(channel));
      continue;
    }
    for (int index = stageCount - 1; index >= 0; --index) {
      float* destination = index == 0 ? output.channel(channel) : level(index, channel);
      downStage(stages_[sizeOf(index)], channel, source, frames << index, destination);
      source = destination;
    }
  }
}

// Interpolation by 2, polyphase. With g = 2h (length 2M + 1, centre M odd) and
// the input x zero-stuffed: y[2p] = sum_{q=0..M} g[2q] x[p - q] (the odd taps),
// y[2p + 1] = g[M] x[p - (M - 1) / 2] = x[p - (M - 1) / 2] (the centre tap).
void Oversampler::upStage(Stage& stage, int channel, const float* input, int lowFrames, float* output) noexcept {
  const int history = stage.taps - 1;
  float* samples = stage.upHistory.data() + static_cast<std::ptrdiff_t>(channel) * (history + stage.maxLowFrames);
  std::copy_n(input, lowFrames, samples + history);  // samples[history + p] = x[p]
  float* sums = accumulator_.data();
  std::fill_n(sums, lowFrames, 0.0f);
  // Symmetric taps: pair x[p - q] with x[p - (K - 1 - q)]. The loop over frames
  // is innermost so it vectorises while every sum keeps the same order.
  for (int tap = 0; tap < stage.taps / 2; ++tap) {
    const float coefficient = stage.upTaps[sizeOf(tap)];
    const float* newer = samples + history - tap;
    const float* older = samples + tap;
    for (int frame = 0; frame < lowFrames; ++frame) sums[frame] += coefficient * (newer[frame] + older[frame]);
  }
  const float* delayed = samples + stage.halfDelay;  // x[p - (M - 1) / 2]
  for (int frame = 0; frame < lowFrames; ++frame) {
    output[2 * frame] = sums[frame];
    output[2 * frame + 1] = delayed[frame];
  }
  std::memmove(samples, samples + lowFrames, sizeOf(history) * sizeof(float));
}

// Decimation by 2, polyphase, of u with e[i] = u[2i], o[i] = u[2i + 1]:
// y[p] = sum_{q=0..M} h[2q] e[p - q] + h[M] o[p - (M + 1) / 2], h[M] = 1/2.
void Oversampler::downStage(Stage& stage, int channel, const float* input, int lowFrames, float* output) noexcept {
  const int history = stage.taps - 1;
  float* even = stage.downEven.data() + static_cast<std::ptrdiff_t>(channel) * (history + stage.maxLowFrames);
  float* odd = stage.downOdd.data() + static_cast<std::ptrdiff_t>(channel) * (stage.halfDelay + stage.maxLowFrames);
  for (int frame = 0; frame < lowFrames; ++frame) {
    even[history + frame] = input[2 * frame];
    odd[stage.halfDelay + frame] = input[2 * frame + 1];
  }
  for (int frame = 0; frame < lowFrames; ++frame) output[frame] = 0.5f * odd[frame];
  for (int tap = 0; tap < stage.taps / 2; ++tap) {
    const float coefficient = stage.downTaps[sizeOf(tap)];
    const float* newer = even + history - tap;
    const float* older = even + tap;
    for (int frame = 0; frame < lowFrames; ++frame) output[frame] += coefficient * (newer[frame] + older[frame]);
  }
  std::memmove(even, even + lowFrames, sizeOf(history) * sizeof(float));
  std::memmove(odd, odd + lowFrames, sizeOf(stage.halfDelay) * sizeof(float));
}

}  // namespace mixdown::dsp
