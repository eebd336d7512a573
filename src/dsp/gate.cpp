#include "mixdown/dsp/gate.h"

#include <algorithm>
#include <cassert>

#include "mixdown/dsp/chunked_processing.h"
#include "mixdown/dsp/fast_math.h"

namespace mixdown::dsp {

void GateProcessor::prepare(const ProcessSpec& spec) {
  LevelDetector::Params detector;
  detector.mode = DetectorMode::Peak;
  if (params_.keyHighpassHz)
    detector.filter = DetectorFilter{BiquadShape::Highpass, *params_.keyHighpassHz, kKeyHighpassQ};
  detector_.prepare(detector, spec.sampleRate);
  computer_.prepare(computerParams(), spec.sampleRate);
  maxChunkFrames_ = std::max(spec.maxBlockFrames, 1);
  levelDb_.assign(static_cast<size_t>(maxChunkFrames_), 0.0);
  gain_.assign(static_cast<size_t>(maxChunkFrames_), 1.0f);
  tune();
  reset();
}

GainComputer::Params GateProcessor::computerParams() const noexcept {
  GainComputer::Params computer;
  computer.curve = params_.ratio == 0.0 ? GainCurve::Gate : GainCurve::Expander;
  computer.thresholdDb = params_.thresholdDb;
  computer.ratio = std::max(params_.ratio, 1.0);
  computer.kneeDb = 0.0;
  computer.attenuationLimitDb = -std::min(params_.rangeDb, 0.0);
  computer.attackMs = params_.attackMs;
  computer.releaseMs = params_.releaseMs;
  computer.holdMs = params_.holdMs;
  return computer;
}

void GateProcessor::tune() noexcept {
  const double hysteresisDb = std::max(params_.hysteresisDb, 0.0);
  hysteresis_.setBand(params_.thresholdDb, hysteresisDb);
  // Below the closing level the hysteresis passes levels on, so the clamp sits below it too.
  detector_.setRange(computer_.flatBelowDb() - hysteresisDb - 1.0, computer_.flatAboveDb() + 1.0);
}

void GateProcessor::reset() noexcept {
  detector_.reset();
  hysteresis_.reset();
  computer_.reset();
  maxGainReductionDb_ = 0.0;
  started_ = false;
}

void GateProcessor::retarget(const Params& target, int) noexcept {
  assert(target.keyHighpassHz == params_.keyHighpassHz && "the key highpass stays as prepared");
  params_.thresholdDb = target.thresholdDb;
  params_.rangeDb = target.rangeDb;
  params_.ratio = target.ratio;
  params_.attackMs = target.attackMs;
  params_.holdMs = target.holdMs;
  params_.releaseMs = target.releaseMs;
  params_.hysteresisDb = target.hysteresisDb;
  if (maxChunkFrames_ == 0) return;  // not prepared: prepare() reads params_
  computer_.retune(computerParams());
  if (!started_) computer_.reset();  // before the first frame: closed at the new range
  tune();
}

void GateProcessor::process(AudioBlock io, ConstAudioBlock key, std::int64_t) noexcept {
  assert(key.empty() || key.frames() == io.frames());
  assert(maxChunkFrames_ > 0 && "prepare() before process()");
  if (maxChunkFrames_ <= 0) return;
  forEachChunkKeyedOrSelfKeyed(io, key, maxChunkFrames_,
                              [this](AudioBlock chunk, ConstAudioBlock keyChunk) { processChunk(chunk, keyChunk); });
}

void GateProcessor::processChunk(AudioBlock io, ConstAudioBlock key) noexcept {
  const int frames = key.frames();
  started_ = true;
  detector_.process(key, levelDb_.data());
  double largest = maxGainReductionDb_;
  for (int frame = 0; frame < frames; ++frame) {
    double& value = levelDb_[static_cast<size_t>(frame)];  // the level in, the attenuation (dB) out
    value = computer_.process(hysteresis_.process(value));
    largest = std::max(largest, value);
  }
  maxGainReductionDb_ = largest;
  for (int frame = 0; frame < frames; ++frame)
    gain_[static_cast<size_t>(frame)] = static_cast<float>(fastDbToGain(-levelDb_[static_cast<size_t>(frame)]));
  const ConstChannelArray gain(gain_.data(), io.frames());
  for (int channel = 0; channel < io.channels(); ++channel) io.array(channel) *= gain;
}

}  // namespace mixdown::dsp
