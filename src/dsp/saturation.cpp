#include "mixdown/dsp/saturation.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "mixdown/audio/decibels.h"
#include "mixdown/dsp/pan.h"
#include "mixdown/dsp/waveshaper_curves.h"

namespace mixdown::dsp {

namespace {

std::size_t sizeOf(int count) { return static_cast<std::size_t>(count); }

/** Replaces subnormal samples (|x| < FLT_MIN) by 0; normal samples pass bit for bit. */
void flushSubnormals(float* samples, int frames) noexcept {
  for (int frame = 0; frame < frames; ++frame) {
    const float sample = samples[frame];
    samples[frame] = std::abs(sample) < FLT_MIN ? 0.0f : sample;
  }
}

}  // namespace

void SaturationProcessor::retarget(const Params& target, int rampFrames) noexcept {
  params_.driveDb = target.driveDb;
  params_.outputDb = target.outputDb;
  params_.mix = target.mix;
  drive_.rampTo(audio::dbToGain(params_.driveDb), rampFrames);
  outputGain_.rampTo(audio::dbToGain(params_.outputDb), rampFrames);
  mix_.rampTo(std::clamp(params_.mix, 0.0, 1.0), rampFrames);
}

void SaturationProcessor::prepare(const ProcessSpec& spec) {
  OversamplerSpec oversampling;
  oversampling.factor = params_.oversample;
  oversampling.channels = spec.channels;
  oversampling.maxBlockFrames = spec.maxBlockFrames;
  oversampling.sampleRate = spec.sampleRate;
  oversampler_.prepare(oversampling);

  channels_ = spec.channels;
  maxBlockFrames_ = spec.maxBlockFrames;
  dry_ = AudioBuffer(channels_, maxBlockFrames_);
  dryDelay_ = DelayLine(channels_, oversampler_.latencyFrames());
  driveValues_.assign(sizeOf(maxBlockFrames_), 0.0f);
  outputValues_.assign(sizeOf(maxBlockFrames_), 0.0f);
  mixValues_.assign(sizeOf(maxBlockFrames_), 0.0f);
  halfEven_ = static_cast<float>(0.5 * std::clamp(params_.even, 0.0, 1.0));
  dcBlocked_ = halfEven_ > 0.0f;
  dcBlocker_.prepare(channels_, kDcBlockerCutoffHz, spec.sampleRate);
  reset();
}

void SaturationProcessor::reset() noexcept {
  oversampler_.reset();
  dryDelay_.reset();
  drive_.snap(audio::dbToGain(params_.driveDb));
  outputGain_.snap(audio::dbToGain(params_.outputDb));
  mix_.snap(std::clamp(params_.mix, 0.0, 1.0));
  dcBlocker_.reset();
}

void SaturationProcessor::process(AudioBlock io, ConstAudioBlock, std::int64_t) noexcept {
  const AudioBlock block = io.withChannels(std::min(io.channels(), channels_));
  for (int first = 0; first < block.frames(); first += maxBlockFrames_)
    processChunk(block.slice(first, std::min(maxBlockFrames_, block.frames() - first)));
}

void SaturationProcessor::processChunk(AudioBlock io) noexcept {
  const int frames = io.frames();
  AudioBlock dry = dry_.block(io.channels(), frames);
  for (int channel = 0; channel < io.channels(); ++channel) dry.array(channel) = io.array(channel);
  dryDelay_.process(dry);

  if (drive_.isRamping()) {
    drive_.fill(driveValues_.data(), frames);
    const ConstChannelArray drive(driveValues_.data(), frames);
    for (int channel = 0; channel < io.channels(); ++channel) io.array(channel) *= drive;
  } else {
    for (int channel = 0; channel < io.channels(); ++channel) io.array(channel) *= static_cast<float>(drive_.value());
  }

  oversampler_.process(io, [this](AudioBlock highRate) { shape(highRate); });
  if (dcBlocked_) dcBlocker_.process(io);
  applyOutputAndMix(io, dry);
  for (int channel = 0; channel < io.channels(); ++channel) flushSubnormals(io.channel(channel), frames);
}

void SaturationProcessor::shape(AudioBlock highRate) const noexcept {
  const int frames = highRate.frames();
  for (int channel = 0; channel < highRate.channels(); ++channel) {
    float* samples = highRate.channel(channel);
    switch (params_.curve) {
      case Curve::Tanh: applyTanhCurve(samples, frames); break;
      case Curve::SoftClip: applySoftClipCurve(samples, frames); break;
      case Curve::Tape: applyTapeCurve(samples, frames); break;
    }
    if (dcBlocked_) applyEvenHarmonicBend(samples, frames, halfEven_);
  }
}

// out = (1 - mix) * dry + mix * outputGain * wet; io holds wet on entry.
void SaturationProcessor::applyOutputAndMix(AudioBlock io, ConstAudioBlock dry) noexcept {
  const int frames = io.frames();
  if (!outputGain_.isRamping() && !mix_.isRamping()) {
    const auto mix = static_cast<float>(mix_.value());
    const auto gain = static_cast<float>(outputGain_.value());
    for (int channel = 0; channel < io.channels(); ++channel) {
      if (mix == 1.0f) {
        io.array(channel) *= gain;
      } else if (mix == 0.0f) {
        io.array(channel) = dry.array(channel);  // exactly the delayed input
      } else {
        io.array(channel) = (1.0f - mix) * dry.array(channel) + (mix * gain) * io.array(channel);
      }
    }
    return;
  }
  outputGain_.fill(outputValues_.data(), frames);
  mix_.fill(mixValues_.data(), frames);
  const ConstChannelArray gain(outputValues_.data(), frames);
  const ConstChannelArray mix(mixValues_.data(), frames);
  for (int channel = 0; channel < io.channels(); ++channel)
    io.array(channel) = (1.0f - mix) * dry.array(channel) + mix * gain * io.array(channel);
}

}  // namespace mixdown::dsp
