// The K-weighting against ITU-R BS.1770-4: at 48 kHz its two stages are the
// coefficients of Tables 1 and 2 (given there to 14 decimals), and at every
// rate the cascade's response is the standard's: +4.0 dB at high frequencies,
// +0.69 dB at 997 Hz (the offset eq. (2) removes), and the RLB highpass's Q
// (-6.01 dB) at its 38 Hz corner.

#include "mixdown/analysis/k_weighting.h"

#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <numbers>

using namespace mixdown;
using namespace mixdown::analysis;

namespace {

double responseDb(const std::array<dsp::BiquadCoefficients, 2>& sections, double frequencyHz, double rateHz) {
  const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * frequencyHz / rateHz);
  std::complex<double> response = 1.0;
  for (const dsp::BiquadCoefficients& s : sections)
    response *= (s.b0 + s.b1 * z1 + s.b2 * z1 * z1) / (1.0 + s.a1 * z1 + s.a2 * z1 * z1);
  return 20.0 * std::log10(std::abs(response));
}

}  // namespace

TEST_CASE("analysis: K-weighting at 48 kHz is BS.1770-4's Tables 1 and 2") {
  const auto sections = kWeightingSections(48000.0);
  constexpr double kTableDigits = 1e-13;
  CHECK(sections[0].b0 == doctest::Approx(1.53512485958697).epsilon(kTableDigits));
  CHECK(sections[0].b1 == doctest::Approx(-2.69169618940638).epsilon(kTableDigits));
  CHECK(sections[0].b2 == doctest::Approx(1.19839281085285).epsilon(kTableDigits));
  CHECK(sections[0].a1 == doctest::Approx(-1.69065929318241).epsilon(kTableDigits));
  CHECK(sections[0].a2 == doctest::Approx(0.73248077421585).epsilon(kTableDigits));
  CHECK(sections[1].b0 == 1.0);
  CHECK(sections[1].b1 == -2.0);
  CHECK(sections[1].b2 == 1.0);
  CHECK(sections[1].a1 == doctest::Approx(-1.99004745483398).epsilon(kTableDigits));
  CHECK(sections[1].a2 == doctest::Approx(0.99007225036621).epsilon(kTableDigits));
}

TEST_CASE("analysis: K-weighting has the standard's response at every rate") {
  for (const double rate : {22050.0, 44100.0, 48000.0, 96000.0, 192000.0}) {
    INFO(rate << " Hz");
    const auto sections = kWeightingSections(rate);
    CHECK(responseDb(sections, 997.0, rate) == doctest::Approx(0.691).epsilon(0.02));
    CHECK(responseDb(sections, 8000.0, rate) == doctest::Approx(4.0).epsilon(0.02));
    // A second-order highpass passes Q of its input at f0: 20 log10(0.50033) = -6.01 dB.
    CHECK(responseDb(sections, 38.13547087602444, rate) == doctest::Approx(-6.01).epsilon(0.03));
    CHECK(responseDb(sections, 10.0, rate) < -20.0);
  }
}
