#include "mixdown/dsp/biquad.h"

#include <cmath>
#include <complex>
#include <numbers>

namespace mixdown::dsp {

BiquadCoefficients designRbj(BiquadShape shape, double frequencyHz, double q, double gainDb, double sampleRate) {
  const double omega = 2.0 * std::numbers::pi * frequencyHz / sampleRate;
  const double cosine = std::cos(omega);
  const double alpha = std::sin(omega) / (2.0 * q);
  const double amplitude = std::pow(10.0, gainDb / 40.0);  // the cookbook's A
  const double rootTwoAAlpha = 2.0 * std::sqrt(amplitude) * alpha;
  double b0 = 1.0, b1 = 0.0, b2 = 0.0, a0 = 1.0, a1 = 0.0, a2 = 0.0;
  switch (shape) {
    case BiquadShape::Lowpass:
      b0 = (1.0 - cosine) / 2.0, b1 = 1.0 - cosine, b2 = (1.0 - cosine) / 2.0;
      a0 = 1.0 + alpha, a1 = -2.0 * cosine, a2 = 1.0 - alpha;
      break;
    case BiquadShape::Highpass:
      b0 = (1.0 + cosine) / 2.0, b1 = -(1.0 + cosine), b2 = (1.0 + cosine) / 2.0;
      a0 = 1.0 + alpha, a1 = -2.0 * cosine, a2 = 1.0 - alpha;
      break;
    case BiquadShape::Bandpass:
      b0 = alpha, b1 = 0.0, b2 = -alpha;
      a0 = 1.0 + alpha, a1 = -2.0 * cosine, a2 = 1.0 - alpha;
      break;
    case BiquadShape::Notch:
      b0 = 1.0, b1 = -2.0 * cosine, b2 = 1.0;
      a0 = 1.0 + alpha, a1 = -2.0 * cosine, a2 = 1.0 - alpha;
      break;
    case BiquadShape::Peak:
      b0 = 1.0 + alpha * amplitude, b1 = -2.0 * cosine, b2 = 1.0 - alpha * amplitude;
      a0 = 1.0 + alpha / amplitude, a1 = -2.0 * cosine, a2 = 1.0 - alpha / amplitude;
      break;
    case BiquadShape::LowShelf:
      b0 = amplitude * ((amplitude + 1.0) - (amplitude - 1.0) * cosine + rootTwoAAlpha);
      b1 = 2.0 * amplitude * ((amplitude - 1.0) - (amplitude + 1.0) * cosine);
      b2 = amplitude * ((amplitude + 1.0) - (amplitude - 1.0) * cosine - rootTwoAAlpha);
      a0 = (amplitude + 1.0) + (amplitude - 1.0) * cosine + rootTwoAAlpha;
      a1 = -2.0 * ((amplitude - 1.0) + (amplitude + 1.0) * cosine);
      a2 = (amplitude + 1.0) + (amplitude - 1.0) * cosine - rootTwoAAlpha;
      break;
    case BiquadShape::HighShelf:
      b0 = amplitude * ((amplitude + 1.0) + (amplitude - 1.0) * cosine + rootTwoAAlpha);
      b1 = -2.0 * amplitude * ((amplitude - 1.0) + (amplitude + 1.0) * cosine);
      b2 = amplitude * ((amplitude + 1.0) + (amplitude - 1.0) * cosine - rootTwoAAlpha);
      a0 = (amplitude + 1.0) - (amplitude - 1.0) * cosine + rootTwoAAlpha;
      a1 = 2.0 * ((amplitude - 1.0) - (amplitude + 1.0) * cosine);
      a2 = (amplitude + 1.0) - (amplitude - 1.0) * cosine - rootTwoAAlpha;
      break;
  }
  return BiquadCoefficients{b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

double butterworthSectionQ(int order, int section) noexcept {
  return 1.0 / (2.0 * std::cos((2.0 * section - 1.0) * std::numbers::pi / (2.0 * order)));
}

double magnitudeAt(const BiquadCoefficients& coefficients, double frequencyHz, double sampleRate) {
  const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * frequencyHz / sampleRate);
  const std::complex<double> z2 = z1 * z1;
  const auto numerator = coefficients.b0 + coefficients.b1 * z1 + coefficients.b2 * z2;
  const auto denominator = 1.0 + coefficients.a1 * z1 + coefficients.a2 * z2;
  return std::abs(numerator / denominator);
}

void Biquad::process(AudioBlock block) noexcept {
  for (int channel = 0; channel < block.channels(); ++channel) {
    float* samples = block.channel(channel);
    for (int frame = 0; frame < block.frames(); ++frame)
      samples[frame] = static_cast<float>(processSample(channel, samples[frame]));
  }
}

}  // namespace mixdown::dsp
