#include "mixdown/analysis/k_weighting.h"

#include <cmath>
#include <numbers>

#include "mixdown/audio/decibels.h"

namespace mixdown::analysis {

namespace {

constexpr double kShelfHz = 1681.974450955533;
constexpr double kShelfGainDb = 3.999843853973347;
constexpr double kShelfQ = 0.7071752369554196;
constexpr double kShelfMidGainExponent = 0.4996667741545416;  // the shelf's gain at f0: Vh^this
constexpr double kHighpassHz = 38.13547087602444;
constexpr double kHighpassQ = 0.5003270373238773;

}  // namespace

std::array<dsp::BiquadCoefficients, 2> kWeightingSections(double sampleRateHz) noexcept {
  std::array<dsp::BiquadCoefficients, 2> sections;
  {
    // High shelf: H(s) = (Vh s^2 + Vb (w0/Q) s + w0^2) / (s^2 + (w0/Q) s + w0^2), prewarped at f0.
    const double k = std::tan(std::numbers::pi * kShelfHz / sampleRateHz);
    const double high = audio::dbToGain(kShelfGainDb);
    const double middle = std::pow(high, kShelfMidGainExponent);
    const double a0 = 1.0 + k / kShelfQ + k * k;
    sections[0] = {(high + middle * k / kShelfQ + k * k) / a0, 2.0 * (k * k - high) / a0,
                   (high - middle * k / kShelfQ + k * k) / a0, 2.0 * (k * k - 1.0) / a0,
                   (1.0 - k / kShelfQ + k * k) / a0};
  }
  {
    // Highpass: H(s) = s^2 / (s^2 + (w0/Q) s + w0^2), numerator left unnormalised (1, -2, 1) as BS.1770-4's table.
    const double k = std::tan(std::numbers::pi * kHighpassHz / sampleRateHz);
    const double a0 = 1.0 + k / kHighpassQ + k * k;
    sections[1] = {1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / kHighpassQ + k * k) / a0};
  }
  return sections;
}

}  // namespace mixdown::analysis
