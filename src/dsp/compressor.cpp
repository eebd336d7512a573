#include "mixdown/dsp/compressor.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "mixdown/dsp/chunked_processing.h"

namespace mixdown::dsp {

void CompressorProcessor::prepare(const ProcessSpec& spec) {
  LevelDetector::Params detector;
  detector.mode = params_.detector;
  detector.rmsTimeMs = kRmsTimeMs;
  if (params_.keyHighpassHz)
    detector.filter = DetectorFilter{BiquadShape::Highpass, *params_.keyHighpassHz, kKeyHighpassQ};

  GainComputer::Params computer;
  computer.curve = GainCurve::Compressor;
  computer.thresholdDb = params_.thresholdDb;
  computer.ratio = params_.ratio;
  computer.kneeDb = params_.kneeDb;
  computer.attackMs = params_.attackMs;
  computer.releaseMs = params_.releaseMs;
  attenuation_.prepare(detector, computer, spec.sampleRate, spec.maxBlockFrames);

  latencyFrames_ = static_cast<int>(std::lround(params_.lookaheadMs * spec.sampleRate / 1000.0));
  delay_ = DelayLine(2, latencyFrames_);  // processors see 1 or 2 channels
  gain_.assign(static_cast<size_t>(attenuation_.maxChunkFrames()), 1.0f);
  reset();
}

void CompressorProcessor::reset() noexcept {
  attenuation_.reset();
  delay_.reset();
}

void CompressorProcessor::process(AudioBlock io, ConstAudioBlock key, std::int64_t) noexcept {
  assert(key.empty() || key.frames() == io.frames());
  assert(attenuation_.maxChunkFrames() > 0 && "prepare() before process()");
  if (attenuation_.maxChunkFrames() <= 0) return;
  // Chunks fit the scratch; every state is per frame, so the split never changes the output.
  forEachChunkKeyedOrSelfKeyed(io, key, attenuation_.maxChunkFrames(),
                              [this](AudioBlock chunk, ConstAudioBlock keyChunk) { processChunk(chunk, keyChunk); });
}

void CompressorProcessor::processChunk(AudioBlock io, ConstAudioBlock key) noexcept {
  // 1. Level of the (undelayed) key, then the gain of every frame.
  const double makeup = std::exp(params_.makeupDb * KeyedAttenuation::kNepersPerDb);
  const double mix = params_.mix;
  attenuation_.process(key, [&](int frame, double attenuationGain) {
    gain_[static_cast<size_t>(frame)] = static_cast<float>((1.0 - mix) + mix * makeup * attenuationGain);
  });
  // 2. Delay the signal against its gain (lookahead), then apply the gain.
  delay_.process(io);
  const ConstChannelArray gain(gain_.data(), io.frames());
  for (int channel = 0; channel < io.channels(); ++channel) io.array(channel) *= gain;
}

}  // namespace mixdown::dsp
