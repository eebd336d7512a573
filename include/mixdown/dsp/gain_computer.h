#pragma once
// The gain computer of the dynamics processors: a static curve that maps a level
// in dB to an attenuation in dB, then attack / hold / release ballistics on that
// attenuation, also in dB (Giannoulis, Massberg and Reiss, "Digital Dynamic Range
// Compressor Design - A Tutorial and Analysis", JAES 60(6), 2012; "GMR" below).
//
// Time constants. A time constant tau (attackMs or releaseMs / 1000, in seconds)
// becomes the one-pole coefficient a = exp(-1 / (tau fs)). After a step of the
// target, the smoothed value covers 1 - a^n of the step in n frames, so it covers
// 1 - 1/e (63.2 %) of it after tau seconds (n = tau fs frames), 95 % after 3 tau.
// A time constant of 0 gives a = 0: the value jumps.
//
// Ballistics (after GMR's smooth decoupled peak detector, rearranged so
// both time constants hold exactly for steps). The smoothed quantity v rises
// when the detected level rises: v is the attenuation of a compressor, and the
// gain (minus the attenuation) of an expander or gate, so "attack" is always the
// response to a louder signal and "release" the response to a quieter one.
//   held[n] = target[n]                                      if target[n] >= held[n-1]
//           = held[n-1]  (for holdFrames frames)             else, while the hold lasts
//           = target[n] + aR (held[n-1] - target[n])        else  (release one-pole)
//   v[n]    = held[n] + aA (v[n-1] - held[n])               if held[n] > v[n-1] (attack one-pole)
//           = held[n]                                        else
// A step up of the target reaches v through the attack one-pole alone; a step
// down through the hold and then the release one-pole alone. For a steady tone
// of frequency f with peak detection, held keeps the peaks' value and sags
// between them by at most a fraction 1 - exp(-1 / (2 f releaseSeconds)) of the
// attenuation (0.5 % at 1 kHz with a 100 ms release); the static curve holds
// for tones up to that sag. (GMR's smooth branching detector, which switches
// between the two one-poles on every sample, gives a 0 dBFS 1 kHz sine 12.3 dB of
// attenuation instead of the curve's 13.5 at -18 dB, 4:1, 10 / 100 ms.)
// Values within 1e-6 dB of their target snap to it, so a released compressor
// returns to exactly 0 dB and no state turns subnormal.
//
// Kernels written once over a value type, a double (one compressor) or Lanes
// (simd_lanes.h: CompressorLanes' tracks side by side): compressorCurveDb and
// ballisticsStep. The scalar classes below and the lanes run these, so a
// track's attenuation is the same bits in either.

#include <limits>

#include "mixdown/dsp/simd_lanes.h"

namespace mixdown::dsp {

/**
 * GMR's soft-knee compressor curve as an attenuation (dB, >= 0): 0 below T - W/2;
 * (1 - 1/R)(x - T + W/2)^2 / (2W) in the knee |x - T| <= W/2; (1 - 1/R)(x - T) above
 * T + W/2. W = kneeDb is the knee's total width (0: hard knee); R = ratio >= 1.
 */
double compressionAttenuationDb(double levelDb, double thresholdDb, double ratio, double kneeDb) noexcept;

/** The compressor curve's attenuation per dB above the threshold: 1 - 1/ratio. */
inline double compressorSlope(double ratio) noexcept { return 1.0 - 1.0 / ratio; }

/**
 * compressionAttenuationDb with its slope 1 - 1/R given, limited to limitDb
 * (min(attenuation, limitDb)), over a value type: the compressor's static curve.
 */
template <typename Value>
MIXDOWN_ALWAYS_INLINE Value compressorCurveDb(Value levelDb, Value thresholdDb, Value slope, Value kneeDb,
                                              Value limitDb) noexcept {
  const Value over = levelDb - thresholdDb;
  Value attenuation = slope * over;
  if (anyLane((2.0 * over > -kneeDb) & (2.0 * over < kneeDb))) {  // the division only where a value is inside the knee
    const Value intoKnee = over + kneeDb / 2.0;  // 0 .. W
    attenuation = selectLanes(2.0 * over >= kneeDb, attenuation, slope * intoKnee * intoKnee / (2.0 * kneeDb));
  }
  attenuation = selectLanes(2.0 * over <= -kneeDb, Value{}, attenuation);
  return selectLanes(limitDb < attenuation, limitDb, attenuation);
}

/**
 * The mirror of that curve for downward expansion, as an attenuation (dB, >= 0): below the
 * threshold the output falls R dB per input dB, i.e. (R - 1)(T - x) below T - W/2;
 * (R - 1)(x - T - W/2)^2 / (2W) in the knee; 0 above T + W/2. R = ratio >= 1.
 */
double expansionAttenuationDb(double levelDb, double thresholdDb, double ratio, double kneeDb) noexcept;

/** Attack / hold / release smoothing in dB, as described at the top of this file. */
class Ballistics {
public:
  static constexpr double kSnapDb = 1e-6;

  struct Params {
    double attackMs = 10.0;    // >= 0; time constant of a rise of v
    double releaseMs = 100.0;  // >= 0; time constant of a fall of v, after the hold
    double holdMs = 0.0;       // >= 0; round(holdMs fs / 1000) frames before a fall starts
  };

  /** Sets the coefficients for sampleRate; keeps held and v, so it also retunes a running smoother. */
  void prepare(const Params& params, double sampleRate) noexcept;
  /** Sets held and v to value (the hold is over). */
  void reset(double value) noexcept;
  double value() const noexcept { return value_; }
  double held() const noexcept { return held_; }
  int holdFrames() const noexcept { return holdFrames_; }
  double attackCoefficient() const noexcept { return attackCoefficient_; }
  double releaseCoefficient() const noexcept { return releaseCoefficient_; }

  /** Advances one frame towards target and returns v: ballisticsStep, the hold around it. */
  double process(double target) noexcept;

private:
  double attackCoefficient_ = 0.0;
  double releaseCoefficient_ = 0.0;
  int holdFrames_ = 0;
  int holdLeft_ = 0;
  double held_ = 0.0;
  double value_ = 0.0;
};

/**
 * One frame of the ballistics without hold, over a value type: held and value
 * (v) move towards target as described at the top of this file; returns v.
 */
template <typename Value>
MIXDOWN_ALWAYS_INLINE Value ballisticsStep(Value target, Value& held, Value& value, Value attackCoefficient,
                                           Value releaseCoefficient) noexcept {
  Value released = target + releaseCoefficient * (held - target);
  released = selectLanes(released - target < Ballistics::kSnapDb, target, released);
  held = selectLanes(target >= held, target, released);
  Value attacked = held + attackCoefficient * (value - held);
  attacked = selectLanes(held - attacked < Ballistics::kSnapDb, held, attacked);
  value = selectLanes(held > value, attacked, held);
  return value;
}

inline double Ballistics::process(double target) noexcept {
  if (target >= held_) {
    holdLeft_ = holdFrames_;
  } else if (holdLeft_ > 0) {
    --holdLeft_;
    target = held_;  // the hold: held stays
  }
  return ballisticsStep(target, held_, value_, attackCoefficient_, releaseCoefficient_);
}

enum class GainCurve {
  Compressor,  // compressionAttenuationDb
  Expander,    // expansionAttenuationDb
  Gate,        // attenuation attenuationLimitDb below the threshold, 0 at and above it
};

/** Level (dB) -> static curve -> ballistics -> attenuation (dB, >= 0), one frame at a time. */
class GainComputer {
public:
  struct Params {
    GainCurve curve = GainCurve::Compressor;
    double thresholdDb = -18.0;
    double ratio = 4.0;   // >= 1 (compressor and expander; unused by the gate)
    double kneeDb = 0.0;  // >= 0, total knee width (compressor and expander)
    /** Largest attenuation (dB, > 0): an expander's or gate's range, a dynamic EQ's range. Finite for a gate. */
    double attenuationLimitDb = std::numeric_limits<double>::infinity();
    double attackMs = 10.0;
    double releaseMs = 100.0;
    double holdMs = 0.0;
  };

  /** Throws std::invalid_argument for a gate without a finite attenuationLimitDb. */
  void prepare(const Params& params, double sampleRate);
  /** Returns to the state of a long silence: 0 dB for a compressor, attenuationLimitDb for an expander or gate. */
  void reset() noexcept;
  /**
   * Takes params' curve and time constants from the next frame on, keeping the
   * ballistics' state (automation). A compressor stays a compressor; an expander
   * and a gate, which smooth the same quantity, may become one another. A hold
   * in progress ends no later than the new hold would. Never allocates.
   */
  void retune(const Params& params) noexcept;

  const Params& params() const noexcept { return params_; }
  const Ballistics& ballistics() const noexcept { return ballistics_; }

  /** The static curve alone (no ballistics), limited to attenuationLimitDb. */
  double staticAttenuationDb(double levelDb) const noexcept;
  /**
   * The static curve is constant for levels below flatBelowDb() and for levels above
   * flatAboveDb() (-inf / +inf where it is not). A detector may clamp its levels to
   * [flatBelowDb() - 1, flatAboveDb() + 1] without changing the attenuation (LevelDetector::setRange).
   */
  double flatBelowDb() const noexcept;
  double flatAboveDb() const noexcept;

  /** Advances one frame with the detected level and returns the smoothed attenuation (dB, >= 0). */
  double process(double levelDb) noexcept {
    const double attenuation = staticAttenuationDb(levelDb);
    if (params_.curve == GainCurve::Compressor) return ballistics_.process(attenuation);
    return -ballistics_.process(-attenuation);
  }

private:
  void setParams(const Params& params) noexcept;

  Params params_;
  Ballistics ballistics_;
  double sampleRate_ = 48000.0;
};

}  // namespace mixdown::dsp
