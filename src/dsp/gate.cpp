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

  GainComputer::Params computer;
  computer.curve = params_.ratio == 0.0 ? GainCurve::Gate : GainCurve::Expander;
  computer.thresholdDb = params_.thresholdDb;
  computer.ratio = std::max(params_.ratio, 1.0);
  computer.kneeDb = 0.0;
  computer.maxAttenuationDb = -std::min(params_.rangeDb, 0.0);
  computer.attackMs = params_.attackMs;
  computer.releaseMs = params_.releaseMs;
  computer.holdMs = params_.holdMs;
  attenuation_.prepare(detector, computer, spec.sampleRate, spec.maxBlockFrames);

  gain_.assign(static_cast<size_t>(attenuation_.maxChunkFrames()), 1.0f);
  reset();
}

void GateProcessor::reset() noexcept { attenuation_.reset(); }

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
