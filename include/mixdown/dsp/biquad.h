#pragma once
// Second-order IIR sections: coefficients designed from the RBJ Audio EQ
// Cookbook (Robert Bristow-Johnson), and a transposed direct form II filter
// (biquad_step.h) with double-precision state, which stays accurate for low
// corners (20 Hz at 192 kHz) where single precision audibly fails.

#include <array>
#include <vector>

#include "mixdown/audio/audio_block.h"
#include "mixdown/dsp/biquad_step.h"

namespace mixdown::dsp {

/** H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2), normalised so a0 = 1. */
struct BiquadCoefficients {
  double b0 = 1.0;
  double b1 = 0.0;
  double b2 = 0.0;
  double a1 = 0.0;
  double a2 = 0.0;
};

enum class BiquadShape { Peak, LowShelf, HighShelf, Highpass, Lowpass, Bandpass, Notch };

/**
 * The cookbook's design for shape at frequencyHz (0 < f < sampleRate / 2), with
 * its Q (shelves use the cookbook's Q form too) and gainDb (peak and shelves).
 * Bandpass is the cookbook's constant 0 dB peak form.
 */
BiquadCoefficients designRbj(BiquadShape shape, double frequencyHz, double q, double gainDb, double sampleRate);

/** Q of section k (1-based, k <= order / 2) of a Butterworth filter of even order: 1 / (2 cos((2k - 1) pi / (2 order))). */
double butterworthSectionQ(int order, int section) noexcept;

/** |H(e^{j 2 pi f / fs})| of the coefficients, evaluated directly (for tests and displays). */
double magnitudeAt(const BiquadCoefficients& coefficients, double frequencyHz, double sampleRate);

/**
 * Coefficients that move linearly, each on its own, to a target over a number
 * of frames (automated filters: designed once per stride, interpolated per
 * sample). A convex mix of two stable sections' (a1, a2) is stable too, since
 * the stability triangle is convex.
 */
class BiquadCoefficientRamp {
public:
  void snap(const BiquadCoefficients& coefficients) noexcept {
    current_ = coefficients;
    target_ = coefficients;
    framesLeft_ = 0;
  }
  /** The k-th next() from now returns current + (k - 1) (target - current) / frames; after frames, exactly target. */
  void rampTo(const BiquadCoefficients& target, int frames) noexcept {
    if (frames <= 0) {
      snap(target);
      return;
    }
    target_ = target;
    step_ = {(target.b0 - current_.b0) / frames, (target.b1 - current_.b1) / frames,
             (target.b2 - current_.b2) / frames, (target.a1 - current_.a1) / frames,
             (target.a2 - current_.a2) / frames};
    framesLeft_ = frames;
  }
  bool isRamping() const noexcept { return framesLeft_ > 0; }
  int framesLeft() const noexcept { return framesLeft_; }
  const BiquadCoefficients& current() const noexcept { return current_; }
  const BiquadCoefficients& target() const noexcept { return target_; }
  /** This frame's coefficients; then advances one frame. */
  BiquadCoefficients next() noexcept {
    const BiquadCoefficients now = current_;
    if (framesLeft_ > 0) {
      if (--framesLeft_ == 0) {
        current_ = target_;
      } else {
        current_.b0 += step_.b0, current_.b1 += step_.b1, current_.b2 += step_.b2;
        current_.a1 += step_.a1, current_.a2 += step_.a2;
      }
    }
    return now;
  }

private:
  BiquadCoefficients current_;
  BiquadCoefficients target_;
  BiquadCoefficients step_{0.0, 0.0, 0.0, 0.0, 0.0};
  int framesLeft_ = 0;
};

/** One biquad over up to two channels, state in double. */
class Biquad {
public:
  void setCoefficients(const BiquadCoefficients& coefficients) noexcept { coefficients_ = coefficients; }
  const BiquadCoefficients& coefficients() const noexcept { return coefficients_; }
  void reset() noexcept { state_ = {}; }
  /** Filters channels [0, block.channels()) of block in place. */
  void process(AudioBlock block) noexcept;
  /** Filters one sample of one channel (0 or 1). */
  double processSample(int channel, double input) noexcept { return processSample(channel, input, coefficients_); }
  /** Filters one sample of one channel with the given coefficients (a ramp's) instead of its own. */
  double processSample(int channel, double input, const BiquadCoefficients& coefficients) noexcept {
    auto& state = state_[static_cast<size_t>(channel)];
    return biquadStep(coefficients, state[0], state[1], input);
  }

private:
  BiquadCoefficients coefficients_;
  std::array<std::array<double, 2>, 2> state_{};  // [channel][s1, s2]
};

}  // namespace mixdown::dsp
