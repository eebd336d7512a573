// The dB conversions against their definitions: 20 log10 for amplitudes,
// 10 log10 for powers, checked at exact powers of ten and at the half-power
// and half-amplitude points whose dB values are known to many digits.
#include "mixdown/audio/decibels.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

using namespace mixdown::audio;

TEST_CASE("audio: dbToGain and gainToDb are 10^(dB/20) and 20 log10") {
  CHECK(dbToGain(0.0) == 1.0);
  CHECK(dbToGain(20.0) == doctest::Approx(10.0).epsilon(1e-15));
  CHECK(dbToGain(-40.0) == doctest::Approx(0.01).epsilon(1e-15));
  // Half amplitude: 20 log10(1/2) = -6.020599913279624 dB.
  CHECK(gainToDb(0.5) == doctest::Approx(-6.020599913279624).epsilon(1e-15));
  CHECK(dbToGain(-6.020599913279624) == doctest::Approx(0.5).epsilon(1e-14));
  CHECK(gainToDb(1000.0) == doctest::Approx(60.0).epsilon(1e-15));
  CHECK(gainToDb(0.0) == -std::numeric_limits<double>::infinity());
  // +6.0206 dB is a gain of two.
  CHECK(dbToGain(20.0 * std::log10(2.0)) == doctest::Approx(2.0).epsilon(1e-15));
  CHECK(dbToGain(6.0206) == doctest::Approx(2.0).epsilon(1e-6));
}

TEST_CASE("audio: dbToPower and powerToDb are 10^(dB/10) and 10 log10") {
  CHECK(dbToPower(0.0) == 1.0);
  CHECK(dbToPower(30.0) == doctest::Approx(1000.0).epsilon(1e-15));
  // Half power: 10 log10(1/2) = -3.010299956639812 dB.
  CHECK(powerToDb(0.5) == doctest::Approx(-3.010299956639812).epsilon(1e-15));
  CHECK(dbToPower(-3.010299956639812) == doctest::Approx(0.5).epsilon(1e-14));
  CHECK(powerToDb(0.0) == -std::numeric_limits<double>::infinity());
  // A power in dB is the dB of its amplitude: 10 log10(a^2) = 20 log10(a).
  CHECK(powerToDb(0.25 * 0.25) == doctest::Approx(gainToDb(0.25)).epsilon(1e-15));
}
