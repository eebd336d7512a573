#include "mixdown/dsp/gate.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace mixdown::dsp {

namespace {

constexpr double kNepersPerDb = 0.11512925464970229;  // ln(10) / 20: 10^(dB / 20) = exp(dB * this)

}  // namespace

void GateProcessor::prepare(const ProcessSpec& spec) {
  LevelDetector::Params detector;
  detector.mode = DetectorMode::Peak;
  if (params_.keyHighpassHz)
    detector.filter = DetectorFilter{BiquadShape::Highpass, *params_.keyHighpassHz, kKeyHighpassQ};
  detector_.prepare(detector, spec.sampleRate);

  GainComputer::Params computer;
  computer.curve = params_.ratio == 0.0 ? GainCurve::Gate : GainCurve::Expander;
  computer.thresholdDb = params_.thresholdDb;
  computer.ratio = std::max(params_.ratio, 1.0);
  computer.kneeDb = 0.0;
  computer.maxAttenuationDb = -std::min(params_.rangeDb, 0.0);
  computer.attackMs = params_.attackMs;
  computer.releaseMs = params_.releaseMs;
  computer.holdMs = params_.holdMs;
  computer_.prepare(computer, spec.sampleRate);
  detector_.setRange(computer_.flatBelowDb() - 1.0, computer_.flatAboveDb() + 1.0);

  maxBlockFrames_ = std::max(spec.maxBlockFrames, 1);
  levelDb_.assign(static_cast<size_t>(maxBlockFrames_), 0.0);
  gain_.assign(static_cast<size_t>(maxBlockFrames_), 1.0f);
  reset();
}

void GateProcessor::reset() noexcept {
  detector_.reset();
  computer_.reset();
  lastAttenuationDb_ = 0.0;
  lastGain_ = 1.0f;
  maxGainReductionDb_ = 0.0;
}

void GateProcessor::process(AudioBlock io, ConstAudioBlock key, std::int64_t) noexcept {
  assert(key.empty() || key.frames() == io.frames());
  assert(maxBlockFrames_ > 0 && "prepare() before process()");
  if (maxBlockFrames_ <= 0) return;
  for (int first = 0; first < io.frames(); first += maxBlockFrames_) {
    const int frames = std::min(maxBlockFrames_, io.frames() - first);
    const AudioBlock chunk = io.slice(first, frames);
    processChunk(chunk, key.empty() ? ConstAudioBlock(chunk) : key.slice(first, frames));
  }
}

void GateProcessor::processChunk(AudioBlock io, ConstAudioBlock key) noexcept {
  const int frames = io.frames();
  detector_.process(key, levelDb_.data());
  double largest = maxGainReductionDb_;
  for (int frame = 0; frame < frames; ++frame) {
    const double attenuationDb = computer_.process(levelDb_[static_cast<size_t>(frame)]);
    largest = std::max(largest, attenuationDb);
    if (attenuationDb != lastAttenuationDb_) {  // a settled (snapped) attenuation needs no exp
      lastAttenuationDb_ = attenuationDb;
      lastGain_ = static_cast<float>(std::exp(-attenuationDb * kNepersPerDb));
    }
    gain_[static_cast<size_t>(frame)] = lastGain_;
  }
  maxGainReductionDb_ = largest;
  const ConstChannelArray gain(gain_.data(), frames);
  for (int channel = 0; channel < io.channels(); ++channel) io.array(channel) *= gain;
}

}  // namespace mixdown::dsp
