#include "mixdown/dsp/gain_computer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>

namespace mixdown::dsp {

namespace {

constexpr double kSilenceDb = -1000.0;  // the detector's level of digital silence (LevelDetector::kFloorDb)

/** a = exp(-1 / (tau fs)) with tau = milliseconds / 1000; 0 (a jump) for tau = 0. */
double oneSidedCoefficient(double milliseconds, double sampleRate) noexcept {
  return milliseconds > 0.0 ? std::exp(-1000.0 / (milliseconds * sampleRate)) : 0.0;
}

}  // namespace

double compressionAttenuationDb(double levelDb, double thresholdDb, double ratio, double kneeDb) noexcept {
  return compressorCurveDb(levelDb, thresholdDb, compressorSlope(ratio), kneeDb, std::numeric_limits<double>::infinity());
}

double expansionAttenuationDb(double levelDb, double thresholdDb, double ratio, double kneeDb) noexcept {
  // The compressor curve mirrored: (-x) - (-T) is T - x to the bit; R - 1 dB of attenuation per dB below T.
  return compressorCurveDb(-levelDb, -thresholdDb, ratio - 1.0, kneeDb, std::numeric_limits<double>::infinity());
}

void Ballistics::prepare(const Params& params, double sampleRate) noexcept {
  attackCoefficient_ = oneSidedCoefficient(params.attackMs, sampleRate);
  releaseCoefficient_ = oneSidedCoefficient(params.releaseMs, sampleRate);
  holdFrames_ = static_cast<int>(std::lround(params.holdMs * sampleRate / 1000.0));
  holdLeft_ = std::min(holdLeft_, holdFrames_);
}

void Ballistics::reset(double value) noexcept {
  held_ = value;
  value_ = value;
  holdLeft_ = 0;
}

void GainComputer::prepare(const Params& params, double sampleRate) {
  if (params.curve == GainCurve::Gate && !std::isfinite(params.attenuationLimitDb))
    throw std::invalid_argument("a gate needs a finite maximum attenuation (its range)");
  sampleRate_ = sampleRate;
  setParams(params);
  reset();
}

void GainComputer::retune(const Params& params) noexcept {
  assert((params.curve == GainCurve::Compressor) == (params_.curve == GainCurve::Compressor) &&
         "a compressor's attenuation and an expander's gain are smoothed in opposite directions");
  assert((params.curve != GainCurve::Gate || std::isfinite(params.attenuationLimitDb)) && "a gate needs a finite range");
  setParams(params);
}

void GainComputer::setParams(const Params& params) noexcept {
  params_ = params;
  ballistics_.prepare({params.attackMs, params.releaseMs, params.holdMs}, sampleRate_);
}

void GainComputer::reset() noexcept {
  const double silence = staticAttenuationDb(kSilenceDb);
  ballistics_.reset(params_.curve == GainCurve::Compressor ? silence : -silence);
}

double GainComputer::staticAttenuationDb(double levelDb) const noexcept {
  double attenuation = 0.0;
  switch (params_.curve) {
    case GainCurve::Compressor:
      return compressorCurveDb(levelDb, params_.thresholdDb, compressorSlope(params_.ratio), params_.kneeDb,
                               params_.attenuationLimitDb);
    case GainCurve::Expander:
      attenuation = expansionAttenuationDb(levelDb, params_.thresholdDb, params_.ratio, params_.kneeDb);
      break;
    case GainCurve::Gate:
      attenuation = levelDb < params_.thresholdDb ? params_.attenuationLimitDb : 0.0;
      break;
  }
  return std::min(attenuation, params_.attenuationLimitDb);
}

double GainComputer::flatBelowDb() const noexcept {
  const double T = params_.thresholdDb, W = params_.kneeDb, limit = params_.attenuationLimitDb;
  switch (params_.curve) {
    case GainCurve::Compressor: return T - W / 2.0;
    case GainCurve::Gate: return T;
    case GainCurve::Expander: {
      // The level under which (R - 1)(T - x), or the knee's quadratic, reaches the limit.
      const double slope = params_.ratio - 1.0;
      if (!std::isfinite(limit) || slope <= 0.0) return -std::numeric_limits<double>::infinity();  // no clamp
      if (limit >= slope * W / 2.0) return T - limit / slope;
      return T + W / 2.0 - std::sqrt(2.0 * W * limit / slope);
    }
  }
  return -std::numeric_limits<double>::infinity();
}

double GainComputer::flatAboveDb() const noexcept {
  const double T = params_.thresholdDb, W = params_.kneeDb, limit = params_.attenuationLimitDb;
  switch (params_.curve) {
    case GainCurve::Expander: return T + W / 2.0;
    case GainCurve::Gate: return T;
    case GainCurve::Compressor: {
      // The level above which (1 - 1/R)(x - T), or the knee's quadratic, reaches the limit.
      const double slope = 1.0 - 1.0 / params_.ratio;
      if (!std::isfinite(limit) || slope <= 0.0) return std::numeric_limits<double>::infinity();  // no clamp
      if (limit >= slope * W / 2.0) return T + limit / slope;
      return T - W / 2.0 + std::sqrt(2.0 * W * limit / slope);
    }
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace mixdown::dsp
