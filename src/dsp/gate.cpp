#include "mixdown/dsp/gate.h"

#include <algorithm>
#include <cassert>

#include "mixdown/dsp/chunked_processing.h"

namespace mixdown::dsp {

void GateProcessor::prepare(const ProcessSpec& spec) {
  LevelDetector::Params detector;
  detector.mode = DetectorMode::Peak;
  if (params_.keyHighpassHz)
    detector.filter = DetectorFilter{BiquadShape::Highpass, *params_.keyHighpassHz, kKeyHighpassQ};

  attenuation_.prepare(detector, computerParams(), spec.sampleRate, spec.maxBlockFrames);

  gain_.assign(static_cast<size_t>(attenuation_.maxChunkFrames()), 1.0f);
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

void GateProcessor::reset() noexcept { attenuation_.reset(); }

void GateProcessor::retarget(const Params& target, int) noexcept {
  assert(target.keyHighpassHz == params_.keyHighpassHz && "the key highpass stays as prepared");
  params_.thresholdDb = target.thresholdDb;
  params_.rangeDb = target.rangeDb;
  params_.ratio = target.ratio;
  params_.attackMs = target.attackMs;
  params_.holdMs = target.holdMs;
  params_.releaseMs = target.releaseMs;
  if (attenuation_.maxChunkFrames() == 0) return;  // not prepared: prepare() reads params_
  attenuation_.retune(computerParams());
}

void GateProcessor::process(AudioBlock io, ConstAudioBlock key, std::int64_t) noexcept {
  assert(key.empty() || key.frames() == io.frames());
  assert(attenuation_.maxChunkFrames() > 0 && "prepare() before process()");
  if (attenuation_.maxChunkFrames() <= 0) return;
  forEachChunkKeyedOrSelfKeyed(io, key, attenuation_.maxChunkFrames(),
                              [this](AudioBlock chunk, ConstAudioBlock keyChunk) { processChunk(chunk, keyChunk); });
}

void GateProcessor::processChunk(AudioBlock io, ConstAudioBlock key) noexcept {
  attenuation_.process(key, [&](int frame, double attenuationGain) {
    gain_[static_cast<size_t>(frame)] = static_cast<float>(attenuationGain);
  });
  const ConstChannelArray gain(gain_.data(), io.frames());
  for (int channel = 0; channel < io.channels(); ++channel) io.array(channel) *= gain;
}

}  // namespace mixdown::dsp
