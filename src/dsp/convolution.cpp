#include "mixdown/dsp/convolution.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "mixdown/dsp/chunked_processing.h"
#include "mixdown/dsp/resampler.h"

namespace mixdown::dsp {
namespace {

using Planar = std::vector<std::vector<float>>;

std::size_t toSize(std::int64_t value) noexcept { return static_cast<std::size_t>(value); }

struct ResampledImpulseResponse {
  Planar channels;
  int offsetFrames = 0;  // frame of the IR's time 0 (D): the ringing of soxr's filter comes before it
};

/**
 * The IR at outputRate, with the same frequency response: padded with silence so
 * that soxr's ringing before the first frame and after the last is kept, the
 * padding a whole number of periods of both rates so that time 0 falls on an
 * output frame (offsetFrames).
 */
ResampledImpulseResponse resample(const Planar& impulseResponse, int inputRate, int outputRate) {
  const int divisor = std::gcd(inputRate, outputRate);
  const std::int64_t inputPeriod = inputRate / divisor, outputPeriod = outputRate / divisor;
  const std::int64_t marginInputFrames =
      (std::int64_t{ConvolutionProcessor::kResamplingMarginFrames} * inputRate + std::min(inputRate, outputRate) - 1) /
      std::min(inputRate, outputRate);
  const std::int64_t periods = (marginInputFrames + inputPeriod - 1) / inputPeriod;
  const std::int64_t padFrames = periods * inputPeriod;

  const std::size_t channels = impulseResponse.size();
  const std::size_t irFrames = impulseResponse[0].size();
  const std::size_t inputFrames = irFrames + 2 * toSize(padFrames);
  std::vector<float> interleaved(inputFrames * channels, 0.0f);
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t n = 0; n < irFrames; ++n)
      interleaved[(toSize(padFrames) + n) * channels + c] = impulseResponse[c][n];

  // soxr's total output is the input length times the ratio, rounded: 2 D + round(N * ratio).
  const auto outputFrames =
      toSize(dsp::Resampler::outputFrameCount(static_cast<std::int64_t>(inputFrames), inputRate, outputRate));
  std::vector<float> output(outputFrames * channels, 0.0f);
  dsp::Resampler resampler(inputRate, outputRate, static_cast<int>(channels));
  std::size_t used = 0, produced = 0;
  while (used < inputFrames && produced < outputFrames) {
    const auto progress = resampler.process(interleaved.data() + used * channels, inputFrames - used,
                                            output.data() + produced * channels, outputFrames - produced);
    if (progress.inputFramesUsed == 0 && progress.outputFrames == 0) throw std::runtime_error("resampler made no progress");
    used += progress.inputFramesUsed;
    produced += progress.outputFrames;
  }
  while (produced < outputFrames) {
    const std::size_t drained = resampler.drain(output.data() + produced * channels, outputFrames - produced);
    if (drained == 0) break;  // the rest stays silent
    produced += drained;
  }

  // soxr keeps the waveform; a discrete IR's taps are its waveform divided by its
  // rate, so the frequency response is kept by the factor inputRate / outputRate.
  const double tapScale = static_cast<double>(inputRate) / outputRate;
  ResampledImpulseResponse result;
  result.offsetFrames = static_cast<int>(periods * outputPeriod);
  result.channels.assign(channels, std::vector<float>(outputFrames));
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t n = 0; n < outputFrames; ++n)
      result.channels[c][n] = static_cast<float>(tapScale * output[n * channels + c]);
  return result;
}

/** 1 / sqrt(mean over channels of sum h^2), or 1 for an all-zero IR. */
double unitEnergyGain(const Planar& impulseResponse) {
  double energy = 0.0;
  for (const auto& channel : impulseResponse)
    for (const float sample : channel) energy += static_cast<double>(sample) * sample;
  energy /= static_cast<double>(impulseResponse.size());
  return energy > 0.0 ? 1.0 / std::sqrt(energy) : 1.0;
}

}  // namespace

ConvolutionProcessor::ConvolutionProcessor(Params params) : params_(std::move(params)) {
  const auto& channels = params_.impulseResponse;
  if (channels.empty() || channels.size() > 2) throw std::invalid_argument("convolution: the IR must have 1 or 2 channels");
  if (channels[0].empty()) throw std::invalid_argument("convolution: the IR has no frames");
  if (channels.back().size() != channels[0].size())
    throw std::invalid_argument("convolution: the IR's channels differ in length");
  if (!(params_.impulseResponseRateHz > 0.0)) throw std::invalid_argument("convolution: the IR's rate must be positive");
}

int ConvolutionProcessor::maxPartitionFrames(double sampleRate) noexcept {
  // Powers of two of the rate's ratio to 48 kHz: nearest on a log scale (x 1.41 is the midpoint).
  const double ratio = std::max(1.0, sampleRate / 48000.0);
  return kMaxPartitionFramesAt48kHz << static_cast<int>(std::lround(std::log2(ratio)));
}

ProcessorProperties ConvolutionProcessor::properties(int inputChannels) const noexcept {
  return {std::max(inputChannels, static_cast<int>(params_.impulseResponse.size())), latencyFrames_, tailFrames_,
          predelayFrames_};
}

void ConvolutionProcessor::prepare(const ProcessSpec& spec) {
  const int irRate = static_cast<int>(std::lround(params_.impulseResponseRateHz));
  const int sessionRate = static_cast<int>(std::lround(spec.sampleRate));
  ResampledImpulseResponse prepared;
  if (irRate == sessionRate)
    prepared.channels = params_.impulseResponse;
  else
    prepared = resample(params_.impulseResponse, irRate, sessionRate);
  normalizationGain_ = params_.normalize ? unitEnergyGain(prepared.channels) : 1.0;

  const auto predelayFrames = static_cast<int>(std::lround(params_.predelayMs * spec.sampleRate / 1000.0));
  predelayFrames_ = predelayFrames;
  const int irFrames = predelayFrames + static_cast<int>(prepared.channels[0].size());
  partitionFrames_ = std::clamp(static_cast<int>(std::bit_ceil(static_cast<unsigned>(irFrames))), kMinPartitionFrames,
                                maxPartitionFrames(spec.sampleRate));
  latencyFrames_ = partitionFrames_ + prepared.offsetFrames;
  tailFrames_ = irFrames;

  // mix is folded into the IR's gain: the wet signal is rounded to float once, and
  // never scaled afterwards into the subnormal range. Only automation of mix
  // scales it again, by mix / bakedMix_ (a mix of 0 is not folded in, so it can rise).
  bakedMix_ = params_.mix > 0.0 ? params_.mix : 1.0;
  const double wetGain = bakedMix_ * normalizationGain_;
  std::vector<float> delayed(static_cast<std::size_t>(irFrames), 0.0f);
  convolvers_.clear();
  convolvers_.reserve(static_cast<std::size_t>(spec.channels));
  for (int channel = 0; channel < spec.channels; ++channel) {
    const auto irChannel = static_cast<std::size_t>(std::min(channel, static_cast<int>(prepared.channels.size()) - 1));
    std::copy(prepared.channels[irChannel].begin(), prepared.channels[irChannel].end(),
              delayed.begin() + predelayFrames);
    convolvers_.emplace_back(delayed, wetGain, partitionFrames_);
  }
  dryDelay_ = DelayLine(spec.channels, latencyFrames_);
  wet_.assign(static_cast<std::size_t>(spec.channels) * static_cast<std::size_t>(partitionFrames_), 0.0f);
  dryValues_.assign(static_cast<std::size_t>(partitionFrames_), 0.0f);
  wetValues_.assign(static_cast<std::size_t>(partitionFrames_), 0.0f);
  reset();
}

void ConvolutionProcessor::reset() noexcept {
  for (auto& convolver : convolvers_) convolver.reset();
  dryDelay_.reset();
  retarget(params_, 0);
}

void ConvolutionProcessor::retarget(const Params& target, int rampFrames) noexcept {
  params_.mix = target.mix;
  dryGain_.rampTo(1.0 - params_.mix, rampFrames);
  wetScale_.rampTo(params_.mix / bakedMix_, rampFrames);
}

void ConvolutionProcessor::process(AudioBlock io, ConstAudioBlock, std::int64_t) noexcept {
  assert(partitionFrames_ > 0 && "prepare() before process()");
  if (partitionFrames_ <= 0) return;
  forEachChunk(io, ConstAudioBlock(), partitionFrames_, [this](AudioBlock chunk, ConstAudioBlock) { processChunk(chunk); });
}

void ConvolutionProcessor::processChunk(AudioBlock io) noexcept {
  const int channels = std::min(io.channels(), static_cast<int>(convolvers_.size()));
  const auto wetOf = [this, &io](int channel) {
    return ChannelArray(wet_.data() + static_cast<std::size_t>(channel) * static_cast<std::size_t>(partitionFrames_),
                        io.frames());
  };
  for (int channel = 0; channel < channels; ++channel)
    convolvers_[static_cast<std::size_t>(channel)].process(io.channel(channel), wetOf(channel).data(), io.frames());
  dryDelay_.process(io);
  if (dryGain_.isRamping()) {  // wetScale_ ramps with it
    dryGain_.fill(dryValues_.data(), io.frames());
    wetScale_.fill(wetValues_.data(), io.frames());
    const ConstChannelArray dry(dryValues_.data(), io.frames());
    const ConstChannelArray wet(wetValues_.data(), io.frames());
    for (int channel = 0; channel < channels; ++channel)
      io.array(channel) = dry * io.array(channel) + wet * wetOf(channel);
    return;
  }
  const auto dry = static_cast<float>(dryGain_.value());
  const auto wet = static_cast<float>(wetScale_.value());
  for (int channel = 0; channel < channels; ++channel) {
    if (wet == 1.0f) io.array(channel) = dry * io.array(channel) + wetOf(channel);
    else io.array(channel) = dry * io.array(channel) + wet * wetOf(channel);
  }
}

}  // namespace mixdown::dsp
