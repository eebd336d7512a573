#include "mixdown/dsp/level_detector.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "mixdown/dsp/fast_math.h"

namespace mixdown::dsp {

void rampCoefficients(Biquad& filter, BiquadCoefficientRamp& ramp, const BiquadCoefficients& target,
                      int rampFrames) noexcept {
  if (!ramp.isRamping()) ramp.snap(filter.coefficients());
  ramp.rampTo(target, rampFrames);
  filter.setCoefficients(target);
}

void LevelDetector::prepare(const Params& params, double sampleRate) {
  params_ = params;
  sampleRate_ = sampleRate;
  rmsCoefficient_ = params.mode == DetectorMode::Rms ? std::exp(-1000.0 / (params.rmsTimeMs * sampleRate)) : 0.0;
  if (params.filter) {
    const DetectorFilter& filter = *params.filter;
    if (!(filter.frequencyHz > 0.0 && filter.frequencyHz < sampleRate / 2.0))
      throw std::invalid_argument("detector filter frequency " + std::to_string(filter.frequencyHz) +
                                  " Hz is not below half the sample rate");
    filter_.setCoefficients(designRbj(filter.shape, filter.frequencyHz, filter.q, 0.0, sampleRate));
  }
  setRange(kFloorDb, std::numeric_limits<double>::infinity());
  reset();
}

void LevelDetector::setRange(double minDb, double maxDb) noexcept {
  minDb_ = std::max(minDb, kFloorDb);
  maxDb_ = std::max(maxDb, minDb_);
  // A peak level is 20 log10(amplitude), an RMS level 10 log10(mean square).
  const double dbPerDecade = params_.mode == DetectorMode::Rms ? 10.0 : 20.0;
  minLinear_ = std::pow(10.0, minDb_ / dbPerDecade);
  maxLinear_ = std::pow(10.0, maxDb_ / dbPerDecade);
}

void LevelDetector::retuneFilter(const DetectorFilter& filter, int rampFrames) noexcept {
  assert(params_.filter && "retuneFilter() needs a detector prepared with a filter");
  assert(filter.frequencyHz > 0.0 && filter.frequencyHz < sampleRate_ / 2.0);
  if (!params_.filter || !(filter.frequencyHz > 0.0 && filter.frequencyHz < sampleRate_ / 2.0)) return;
  params_.filter->frequencyHz = filter.frequencyHz;
  params_.filter->q = filter.q;
  const DetectorFilter& retuned = *params_.filter;
  rampCoefficients(filter_, filterRamp_, designRbj(retuned.shape, retuned.frequencyHz, retuned.q, 0.0, sampleRate_),
                   rampFrames);
}

void LevelDetector::reset() noexcept {
  meanSquare_[0] = meanSquare_[1] = 0.0;
  filter_.reset();
  filterRamp_.snap(filter_.coefficients());  // a retune in progress completes
  quietFrames_ = 0.0;
}

void LevelDetector::process(ConstAudioBlock key, double* levelDb) noexcept {
  // The ramp is checked once: its frames take its coefficients, the rest the filter's own.
  const int rampFrames = std::min(key.frames(), filterRamp_.framesLeft());
  processFrames<true>(key, levelDb, 0, rampFrames);
  processFrames<false>(key, levelDb, rampFrames, key.frames());
}

template <bool Ramped>
void LevelDetector::processFrames(ConstAudioBlock key, double* levelDb, int first, int last) noexcept {
  const int channels = std::min(key.channels(), 2);
  const bool filtered = params_.filter.has_value();
  const bool rms = params_.mode == DetectorMode::Rms;
  const double a = rmsCoefficient_;
  Biquad filter = filter_;  // a local copy keeps the state in registers
  for (int frame = first; frame < last; ++frame) {
    double level = 0.0;  // linear peak, or mean square
    bool quiet = true;
    BiquadCoefficients ramped;  // this frame's, for every channel
    if constexpr (Ramped) ramped = filterRamp_.next();
    for (int channel = 0; channel < channels; ++channel) {
      double x = key.channel(channel)[frame];
      if (filtered) {
        const double y = Ramped ? filter.processSample(channel, x, ramped) : filter.processSample(channel, x);
        quiet = quiet && isQuiet(x) && isQuiet(y);
        x = y;
      }
      if (rms) {
        double& meanSquare = meanSquare_[channel];
        meanSquareStep(meanSquare, a, 1.0 - a, x);
        level = std::max(level, meanSquare);
      } else {
        level = std::max(level, std::abs(x));
      }
    }
    if (filtered && countQuietFrames(quietFrames_, quiet)) filter.reset();  // linked: quiet when every channel is
    if (level <= minLinear_) levelDb[frame] = minDb_;
    else if (level >= maxLinear_) levelDb[frame] = maxDb_;
    else levelDb[frame] = (rms ? 10.0 * kLog10Of2 : 20.0 * kLog10Of2) * fastLog2(level);  // level is normal: >= 1e-50
  }
  filter_ = filter;
}

}  // namespace mixdown::dsp
