#pragma once
// Second-order IIR sections: coefficients designed from the RBJ Audio EQ
// Cookbook (Robert Bristow-Johnson), and a transposed direct form II filter
// with double-precision state, which stays accurate for low corners (20 Hz at
// 192 kHz) where single precision audibly fails.

#include <array>
#include <vector>

#include "mixdown/dsp/audio_block.h"

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

/** Qs of the second-order sections of a Butterworth filter of even order: 1 / (2 cos((2k - 1) pi / (2 order))). */
std::vector<double> butterworthSectionQs(int order);

/** |H(e^{j 2 pi f / fs})| of the coefficients, evaluated directly (for tests and displays). */
double magnitudeAt(const BiquadCoefficients& coefficients, double frequencyHz, double sampleRate);

/** One biquad over up to two channels, state in double. */
class Biquad {
public:
  void setCoefficients(const BiquadCoefficients& coefficients) noexcept { coefficients_ = coefficients; }
  const BiquadCoefficients& coefficients() const noexcept { return coefficients_; }
  void reset() noexcept { state_ = {}; }
  /** Filters channels [0, block.channels()) of block in place. */
  void process(AudioBlock block) noexcept;
  /** Filters one sample of one channel (0 or 1). */
  double processSample(int channel, double input) noexcept {
    auto& state = state_[static_cast<size_t>(channel)];
    const double output = coefficients_.b0 * input + state[0];
    state[0] = coefficients_.b1 * input - coefficients_.a1 * output + state[1];
    state[1] = coefficients_.b2 * input - coefficients_.a2 * output;
    return output;
  }

private:
  BiquadCoefficients coefficients_;
  std::array<std::array<double, 2>, 2> state_{};  // [channel][s1, s2]
};

}  // namespace mixdown::dsp
