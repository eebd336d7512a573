#include "mixdown/dsp/compressor.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace mixdown::dsp {

namespace {

constexpr double kNepersPerDb = 0.11512925464970229;  // ln(10) / 20: 10^(dB / 20) = exp(dB * this)

}  // namespace

void CompressorProcessor::prepare(const ProcessSpec& spec) {
  LevelDetector::Params detector;
  detector.mode = params_.detector;
  detector.rmsTimeMs = kRmsTimeMs;
  if (params_.keyHighpassHz)
    detector.filter = DetectorFilter{BiquadShape::Highpass, *params_.keyHighpassHz, kKeyHighpassQ};
  detector_.prepare(detector, spec.sampleRate);

  GainComputer::Params computer;
  computer.curve = GainCurve::Compressor;
  computer.thresholdDb = params_.thresholdDb;
  computer.ratio = params_.ratio;
  computer.kneeDb = params_.kneeDb;
  computer.attackMs = params_.attackMs;
  computer.releaseMs = params_.releaseMs;
  computer_.prepare(computer, spec.sampleRate);
  detector_.setRange(computer_.flatBelowDb() - 1.0, computer_.flatAboveDb() + 1.0);

  latencyFrames_ = static_cast<int>(std::lround(params_.lookaheadMs * spec.sampleRate / 1000.0));
  delay_ = DelayLine(2, latencyFrames_);  // processors see 1 or 2 channels
  maxBlockFrames_ = std::max(spec.maxBlockFrames, 1);
  levelDb_.assign(static_cast<size_t>(maxBlockFrames_), 0.0);
  gain_.assign(static_cast<size_t>(maxBlockFrames_), 1.0f);
  reset();
}

void CompressorProcessor::reset() noexcept {
  detector_.reset();
  computer_.reset();
  delay_.reset();
  maxGainReductionDb_ = 0.0;
  lastAttenuationDb_ = 0.0;
  lastGain_ = 1.0;
}

void CompressorProcessor::process(AudioBlock io, ConstAudioBlock key, std::int64_t) noexcept {
  assert(key.empty() || key.frames() == io.frames());
  assert(maxBlockFrames_ > 0 && "prepare() before process()");
  if (maxBlockFrames_ <= 0) return;
  // Chunks of at most maxBlockFrames_ fit the scratch; every state is per frame, so
  // the split never changes the output.
  for (int first = 0; first < io.frames(); first += maxBlockFrames_) {
    const int frames = std::min(maxBlockFrames_, io.frames() - first);
    const AudioBlock chunk = io.slice(first, frames);
    processChunk(chunk, key.empty() ? ConstAudioBlock(chunk) : key.slice(first, frames));
  }
}

void CompressorProcessor::processChunk(AudioBlock io, ConstAudioBlock key) noexcept {
  const int frames = io.frames();
  // 1. Level of the (undelayed) key, then the gain of every frame.
  detector_.process(key, levelDb_.data());
  const double makeup = std::exp(params_.makeupDb * kNepersPerDb);
  const double mix = params_.mix;
  double largest = maxGainReductionDb_;
  for (int frame = 0; frame < frames; ++frame) {
    const double attenuationDb = computer_.process(levelDb_[static_cast<size_t>(frame)]);
    largest = std::max(largest, attenuationDb);
    if (attenuationDb != lastAttenuationDb_) {  // a settled (snapped) attenuation needs no exp
      lastAttenuationDb_ = attenuationDb;
      lastGain_ = std::exp(-attenuationDb * kNepersPerDb);
    }
    gain_[static_cast<size_t>(frame)] = static_cast<float>((1.0 - mix) + mix * makeup * lastGain_);
  }
  maxGainReductionDb_ = largest;
  // 2. Delay the signal against its gain (lookahead), then apply the gain.
  delay_.process(io);
  const ConstChannelArray gain(gain_.data(), frames);
  for (int channel = 0; channel < io.channels(); ++channel) io.array(channel) *= gain;
}

}  // namespace mixdown::dsp
