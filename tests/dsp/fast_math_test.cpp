// The fast logarithm and exponential against the standard library, over
// their whole documented ranges: the error bounds fast_math.h states.

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>

#include "mixdown/dsp/fast_math.h"

using namespace mixdown::dsp;

TEST_CASE("dsp: fastLog2 is within 1e-10 of log2 for positive normal numbers") {
  std::mt19937_64 generator(1);
  std::uniform_real_distribution<double> exponent(-1020.0, 1020.0);
  double worst = 0.0;
  for (int draw = 0; draw < 2000000; ++draw) {
    const double x = std::exp2(exponent(generator));
    worst = std::max(worst, std::abs(fastLog2(x) - std::log2(x)));
  }
  for (const double x : {1.0, 2.0, 0.5, 1.4142135623730951, 1.414213562373095, 1e-50, 1e-300, 3.0e300, 0.999999999})
    worst = std::max(worst, std::abs(fastLog2(x) - std::log2(x)));
  MESSAGE("largest error " << worst);
  CHECK(worst < 1e-10);
  CHECK(fastLog2(1.0) == 0.0);
  CHECK(fastLog2(8.0) == 3.0);
}

TEST_CASE("dsp: fastExp2 is within 1e-10 relative of exp2 on [-1000, 1000] and clamps outside") {
  std::mt19937_64 generator(2);
  std::uniform_real_distribution<double> exponent(-1000.0, 1000.0);
  double worst = 0.0;
  for (int draw = 0; draw < 2000000; ++draw) {
    const double y = exponent(generator);
    worst = std::max(worst, std::abs(fastExp2(y) / std::exp2(y) - 1.0));
  }
  for (const double y : {0.0, 0.5, -0.5, 0.49999999, -1000.0, 1000.0, -999.5, 1e-12})
    worst = std::max(worst, std::abs(fastExp2(y) / std::exp2(y) - 1.0));
  MESSAGE("largest relative error " << worst);
  CHECK(worst < 1e-10);
  CHECK(fastExp2(3.0) == 8.0);
  CHECK(fastExp2(-2000.0) == fastExp2(-1000.0));
  CHECK(fastExp2(5000.0) == fastExp2(1000.0));
}

TEST_CASE("dsp: fastDbToGain is 10^(dB/20) within 1e-9 dB from -200 to +100 dB") {
  double worstDb = 0.0;
  for (double db = -200.0; db <= 100.0; db += 0.01)
    worstDb = std::max(worstDb, std::abs(20.0 * std::log10(fastDbToGain(db)) - db));
  MESSAGE("largest error " << worstDb << " dB");
  CHECK(worstDb < 1e-9);
}

TEST_CASE("dsp: fastLog2Lanes and fastExp2Lanes give every lane the scalar functions' bits, alone or interleaved") {
  std::mt19937_64 generator(3);
  std::uniform_real_distribution<double> logExponent(-1020.0, 1020.0), expExponent(-1100.0, 1100.0);
  int mismatches = 0;
  for (int draw = 0; draw < 250000; ++draw) {
    Lanes x, y;
    for (int lane = 0; lane < kLanes; ++lane) {
      x[lane] = std::exp2(logExponent(generator));
      y[lane] = draw % 7 == 0 ? std::round(expExponent(generator)) + 0.5 * (lane - 1) : expExponent(generator);
    }
    const Lanes logs = fastLog2Lanes(x), powers = fastExp2Lanes(y);
    // Three Lanes at once, their series interleaved: the same bits (the middle ones are x and y).
    Lanes logs3[3] = {x * 0.75, x, x * 1.5}, powers3[3] = {y - 0.25, y, y + 0.25};
    fastLog2Lanes(logs3);
    fastExp2Lanes(powers3);
    for (int lane = 0; lane < kLanes; ++lane) {
      mismatches += std::bit_cast<std::uint64_t>(logs[lane]) != std::bit_cast<std::uint64_t>(fastLog2(x[lane]));
      mismatches += std::bit_cast<std::uint64_t>(powers[lane]) != std::bit_cast<std::uint64_t>(fastExp2(y[lane]));
      mismatches += std::bit_cast<std::uint64_t>(logs3[1][lane]) != std::bit_cast<std::uint64_t>(logs[lane]);
      mismatches += std::bit_cast<std::uint64_t>(powers3[1][lane]) != std::bit_cast<std::uint64_t>(powers[lane]);
      mismatches += std::bit_cast<std::uint64_t>(logs3[2][lane]) != std::bit_cast<std::uint64_t>(fastLog2(x[lane] * 1.5));
      mismatches += std::bit_cast<std::uint64_t>(powers3[0][lane]) != std::bit_cast<std::uint64_t>(fastExp2(y[lane] - 0.25));
    }
  }
  CHECK(mismatches == 0);
}
