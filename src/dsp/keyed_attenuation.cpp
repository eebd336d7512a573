#include "mixdown/dsp/keyed_attenuation.h"

namespace mixdown::dsp {

void KeyedAttenuation::prepare(const LevelDetector::Params& detector, const GainComputer::Params& computer,
                               double sampleRate, int maxChunkFrames) {
  detector_.prepare(detector, sampleRate);
  computer_.prepare(computer, sampleRate);
  limitDetectorRange();
  maxChunkFrames_ = std::max(maxChunkFrames, 1);
  levelDb_.assign(static_cast<size_t>(maxChunkFrames_), 0.0);
  reset();
}

void KeyedAttenuation::reset() noexcept {
  detector_.reset();
  computer_.reset();
  maxGainReductionDb_ = 0.0;
  started_ = false;
}

void KeyedAttenuation::retune(const GainComputer::Params& computer) noexcept {
  computer_.retune(computer);
  if (!started_) computer_.reset();
  limitDetectorRange();
}

void KeyedAttenuation::limitDetectorRange() noexcept {
  detector_.setRange(computer_.flatBelowDb() - 1.0, computer_.flatAboveDb() + 1.0);
}

}  // namespace mixdown::dsp
