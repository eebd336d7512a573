// The static curves against GMR 2012's formulas evaluated at chosen points, and the
// ballistics against the one-pole step response exp(-t / tau).

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "mixdown/dsp/gain_computer.h"

using namespace mixdown::dsp;

TEST_CASE("dsp: gain computer compression curve: hard knee, and a soft knee of total width W centred on T") {
  const double T = -20.0, R = 4.0;
  // Hard knee: nothing at or below T, (1 - 1/R) dB per dB above it.
  CHECK(compressionAttenuationDb(-40.0, T, R, 0.0) == 0.0);
  CHECK(compressionAttenuationDb(T, T, R, 0.0) == 0.0);
  CHECK(compressionAttenuationDb(-8.0, T, R, 0.0) == doctest::Approx(12.0 * 0.75));
  // Soft knee W = 12: 0 at T - 6, (1 - 1/R) (W/2)^2 / (2W) = 0.75 * 1.5 at T, (1 - 1/R) * 6 at T + 6,
  // the hard-knee line beyond; the slope runs from 0 to 1 - 1/R across the knee.
  const double W = 12.0;
  CHECK(compressionAttenuationDb(T - 6.0, T, R, W) == 0.0);
  CHECK(compressionAttenuationDb(T, T, R, W) == doctest::Approx(0.75 * 1.5));
  CHECK(compressionAttenuationDb(T + 3.0, T, R, W) == doctest::Approx(0.75 * 81.0 / 24.0));
  CHECK(compressionAttenuationDb(T + 6.0, T, R, W) == doctest::Approx(0.75 * 6.0));
  CHECK(compressionAttenuationDb(T + 10.0, T, R, W) == doctest::Approx(0.75 * 10.0));
  const double h = 1e-6;
  const auto slope = [&](double x) {
    return (compressionAttenuationDb(x + h, T, R, W) - compressionAttenuationDb(x - h, T, R, W)) / (2.0 * h);
  };
  CHECK(slope(T - 6.0 + 2.0 * h) == doctest::Approx(0.0).epsilon(0.0).scale(1.0).epsilon(1e-4));
  CHECK(slope(T + 6.0 - 2.0 * h) == doctest::Approx(0.75).epsilon(1e-4));
  CHECK(slope(T) == doctest::Approx(0.375).epsilon(1e-6));
  // Ratio 1 never compresses.
  CHECK(compressionAttenuationDb(0.0, T, 1.0, W) == 0.0);
}

TEST_CASE("dsp: gain computer expansion curve falls ratio dB per input dB below the threshold") {
  const double T = -40.0;
  CHECK(expansionAttenuationDb(-30.0, T, 3.0, 0.0) == 0.0);
  CHECK(expansionAttenuationDb(T, T, 3.0, 0.0) == 0.0);
  // Output T + R (x - T) at x = -50: -70, an attenuation of 20 = (R - 1)(T - x).
  CHECK(expansionAttenuationDb(-50.0, T, 3.0, 0.0) == doctest::Approx(20.0));
  // Soft knee mirrors the compressor's: (R - 1) W / 8 at T, (R - 1) W / 2 at T - W / 2, 0 at T + W / 2.
  CHECK(expansionAttenuationDb(T, T, 3.0, 8.0) == doctest::Approx(2.0));
  CHECK(expansionAttenuationDb(T - 4.0, T, 3.0, 8.0) == doctest::Approx(8.0));
  CHECK(expansionAttenuationDb(T + 4.0, T, 3.0, 8.0) == 0.0);
}

TEST_CASE("dsp: gain computer limits the attenuation and starts from the state of silence") {
  GainComputer expander;
  GainComputer::Params params;
  params.curve = GainCurve::Expander, params.thresholdDb = -40.0, params.ratio = 2.0, params.attenuationLimitDb = 30.0;
  expander.prepare(params, 48000.0);
  CHECK(expander.staticAttenuationDb(-50.0) == doctest::Approx(10.0));
  CHECK(expander.staticAttenuationDb(-90.0) == 30.0);
  CHECK(expander.process(-1000.0) == 30.0);  // closed from the start
  GainComputer gate;
  params.curve = GainCurve::Gate;
  gate.prepare(params, 48000.0);
  CHECK(gate.staticAttenuationDb(-40.0) == 0.0);
  CHECK(gate.staticAttenuationDb(-40.001) == 30.0);
  params.attenuationLimitDb = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(gate.prepare(params, 48000.0), std::invalid_argument);
  GainComputer compressor;
  compressor.prepare({}, 48000.0);
  CHECK(compressor.process(-1000.0) == 0.0);
}

TEST_CASE("dsp: gain computer ballistics cover 1 - exp(-n / (tau fs)) of a step in n frames") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    Ballistics ballistics;
    ballistics.prepare({10.0, 100.0, 0.0}, sampleRate);
    ballistics.reset(0.0);
    const auto attackFrames = static_cast<int>(std::lround(0.010 * sampleRate));
    double value = 0.0;
    for (int n = 1; n <= attackFrames; ++n) value = ballistics.process(20.0);
    CHECK(value / 20.0 == doctest::Approx(1.0 - std::exp(-attackFrames / (0.010 * sampleRate))).epsilon(1e-9));
    CHECK(value / 20.0 == doctest::Approx(1.0 - std::exp(-1.0)).epsilon(1e-3));
    for (int n = 0; n < 20 * attackFrames; ++n) value = ballistics.process(20.0);
    CHECK(value == 20.0);  // within kSnapDb after ln(20 / 1e-6) = 16.8 time constants: snapped to the target
    const auto releaseFrames = static_cast<int>(std::lround(0.100 * sampleRate));
    for (int n = 1; n <= releaseFrames; ++n) value = ballistics.process(0.0);
    CHECK(value / 20.0 == doctest::Approx(std::exp(-releaseFrames / (0.100 * sampleRate))).epsilon(1e-9));
  }
}

TEST_CASE("dsp: gain computer ballistics hold for round(hold fs) frames before the release") {
  Ballistics ballistics;
  ballistics.prepare({0.0, 50.0, 10.0}, 44100.0);  // hold 441 frames, instant attack
  ballistics.reset(-80.0);
  CHECK(ballistics.process(0.0) == 0.0);
  for (int n = 0; n < 441; ++n) REQUIRE(ballistics.process(-80.0) == 0.0);
  CHECK(ballistics.process(-80.0) == doctest::Approx(-80.0 * (1.0 - std::exp(-1.0 / (0.05 * 44100.0)))));
  // A new peak above the releasing value restarts the hold.
  for (int n = 0; n < 1000; ++n) ballistics.process(-80.0);
  REQUIRE(ballistics.value() < -20.0);
  CHECK(ballistics.process(-10.0) == -10.0);
  for (int n = 0; n < 441; ++n) REQUIRE(ballistics.process(-80.0) == -10.0);
  CHECK(ballistics.process(-80.0) < -10.0);
}

TEST_CASE("dsp: gain computer curves are flat outside [flatBelowDb, flatAboveDb], so clamping levels there changes nothing") {
  struct Case {
    GainCurve curve;
    double ratio, kneeDb, attenuationLimitDb;
  };
  const double inf = std::numeric_limits<double>::infinity();
  const Case cases[] = {{GainCurve::Compressor, 4.0, 0.0, inf},   {GainCurve::Compressor, 3.0, 12.0, 9.0},
                        {GainCurve::Compressor, 3.0, 12.0, 2.0},  {GainCurve::Compressor, 1.0, 0.0, 6.0},
                        {GainCurve::Expander, 2.0, 0.0, 60.0},    {GainCurve::Expander, 4.0, 10.0, 3.0},
                        {GainCurve::Expander, 1.0, 0.0, 80.0},    {GainCurve::Gate, 0.0, 0.0, 80.0}};
  for (const Case& c : cases) {
    GainComputer computer;
    GainComputer::Params params;
    params.curve = c.curve, params.thresholdDb = -30.0, params.ratio = c.ratio, params.kneeDb = c.kneeDb;
    params.attenuationLimitDb = c.attenuationLimitDb;
    computer.prepare(params, 48000.0);
    const double low = computer.flatBelowDb() - 1.0, high = computer.flatAboveDb() + 1.0;
    for (double level = -1000.0; level <= 40.0; level += 0.25) {
      const double clamped = std::max(low, std::min(high, level));
      REQUIRE(computer.staticAttenuationDb(clamped) == computer.staticAttenuationDb(level));
    }
  }
}
