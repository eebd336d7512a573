#include "mixdown/dsp/compressor.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "mixdown/dsp/chunked_processing.h"

namespace mixdown::dsp {

namespace {

/** Moves ramp to target over rampFrames unless it already heads there (steps of 0 would cost per-frame work). */
void rampTo(LinearRamp& ramp, double target, int rampFrames) noexcept {
  if (target != ramp.target() || rampFrames <= 0) ramp.rampTo(target, rampFrames);
}

}  // namespace

void CompressorProcessor::prepare(const ProcessSpec& spec) {
  LevelDetector::Params detector;
  detector.mode = params_.detector;
  detector.rmsTimeMs = kRmsTimeMs;
  if (params_.keyHighpassHz)
    detector.filter = DetectorFilter{BiquadShape::Highpass, *params_.keyHighpassHz, kKeyHighpassQ};

  attenuation_.prepare(detector, computerParams(), spec.sampleRate, spec.maxBlockFrames);

  latencyFrames_ = static_cast<int>(std::lround(params_.lookaheadMs * spec.sampleRate / 1000.0));
  delay_ = DelayLine(2, latencyFrames_);  // processors see 1 or 2 channels
  gain_.assign(static_cast<size_t>(attenuation_.maxChunkFrames()), 1.0f);
  reset();
}

GainComputer::Params CompressorProcessor::computerParams() const noexcept {
  GainComputer::Params computer;
  computer.curve = GainCurve::Compressor;
  computer.thresholdDb = params_.thresholdDb;
  computer.ratio = params_.ratio;
  computer.kneeDb = params_.kneeDb;
  computer.attackMs = params_.attackMs;
  computer.releaseMs = params_.releaseMs;
  return computer;
}

void CompressorProcessor::reset() noexcept {
  attenuation_.reset();
  delay_.reset();
  makeup_.snap(makeupGain());
  mix_.snap(params_.mix);
}

void CompressorProcessor::retarget(const Params& target, int rampFrames) noexcept {
  assert(target.detector == params_.detector && target.lookaheadMs == params_.lookaheadMs &&
         target.keyHighpassHz == params_.keyHighpassHz && "detector, lookahead and key highpass stay as prepared");
  params_.thresholdDb = target.thresholdDb;
  params_.ratio = target.ratio;
  params_.attackMs = target.attackMs;
  params_.releaseMs = target.releaseMs;
  params_.kneeDb = target.kneeDb;
  params_.makeupDb = target.makeupDb;
  params_.mix = target.mix;
  if (attenuation_.maxChunkFrames() == 0) return;  // not prepared: prepare() reads params_
  attenuation_.retune(computerParams());
  rampTo(makeup_, makeupGain(), rampFrames);
  rampTo(mix_, params_.mix, rampFrames);
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
  if (makeup_.isRamping() || mix_.isRamping()) {
    attenuation_.process(key, [&](int frame, double attenuationGain) {
      const double mix = mix_.next();
      gain_[static_cast<size_t>(frame)] = static_cast<float>((1.0 - mix) + mix * makeup_.next() * attenuationGain);
    });
  } else {
    const double makeup = makeup_.value();
    const double mix = mix_.value();
    attenuation_.process(key, [&](int frame, double attenuationGain) {
      gain_[static_cast<size_t>(frame)] = static_cast<float>((1.0 - mix) + mix * makeup * attenuationGain);
    });
  }
  // 2. Delay the signal against its gain (lookahead), then apply the gain.
  delay_.process(io);
  const ConstChannelArray gain(gain_.data(), io.frames());
  for (int channel = 0; channel < io.channels(); ++channel) io.array(channel) *= gain;
}

}  // namespace mixdown::dsp
