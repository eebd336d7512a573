// SampleQuantizer against its documented formula computed with std::round:
// code = clamp(round(x 2^(n-1) + dither), -2^(n-1), 2^(n-1) - 1), ties away
// from zero, NaN to 0; clamped and NaN samples count as clipped. Checked at
// 16, 24 and 32 bits on ties, the doubles either side of them, full scale,
// beyond it, infinities, NaN and random samples, with and without dither.

#include "mixdown/io/sample_quantizer.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace mixdown::io;

namespace {

struct Expected {
  std::vector<std::int32_t> codes;
  std::int64_t clipped = 0;
};

Expected byFormula(const std::vector<float>& samples, int bits, bool dither, std::uint64_t seed) {
  const double fullScale = std::ldexp(1.0, bits - 1);
  TpdfDither generator(seed);
  Expected expected;
  for (const float sample : samples) {
    double value = static_cast<double>(sample) * fullScale;
    if (dither) value += generator.nextLsb();
    double code = std::round(value);
    if (std::isnan(code) || code > fullScale - 1.0 || code < -fullScale) ++expected.clipped;
    code = std::isnan(code) ? 0.0 : std::clamp(code, -fullScale, fullScale - 1.0);
    expected.codes.push_back(static_cast<std::int32_t>(code));
  }
  return expected;
}

}  // namespace

TEST_CASE("io: the quantizer is round-half-away-from-zero, clamped, as its formula says") {
  for (const int bits : {16, 24, 32}) {
    const double fullScale = std::ldexp(1.0, bits - 1);
    std::vector<float> samples = {0.0f, -0.0f, 1.0f, -1.0f, 2.0f, -2.0f, std::numeric_limits<float>::infinity(),
                                  -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN(),
                                  std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
                                  std::nextafter(1.0f, 0.0f), std::nextafter(-1.0f, 0.0f)};
    // Ties (k + 1/2 codes) and the floats either side of them, where a float can hold them.
    for (const double k : {0.0, 1.0, 2.0, 1000.0, 65535.0, fullScale / 4.0, fullScale - 1.0}) {
      for (const double sign : {1.0, -1.0}) {
        const auto tie = static_cast<float>(sign * (k + 0.5) / fullScale);
        samples.insert(samples.end(), {tie, std::nextafter(tie, 0.0f), std::nextafter(tie, 2.0f * tie)});
      }
    }
    std::mt19937 random(static_cast<unsigned>(bits));
    std::uniform_real_distribution<float> anywhere(-1.2f, 1.2f);
    for (int i = 0; i < 20000; ++i) samples.push_back(anywhere(random));
    for (const bool dither : {false, true}) {
      INFO(bits << " bits, dither " << dither);
      SampleQuantizer quantizer(bits, dither, 77);
      std::vector<std::int32_t> codes(samples.size());
      quantizer.quantize(samples.data(), samples.size(), codes.data());
      const Expected expected = byFormula(samples, bits, dither, 77);
      CHECK(codes == expected.codes);
      CHECK(quantizer.clippedSamples() == expected.clipped);
      CHECK(expected.clipped > 6);  // the infinities, NaN, +-max, +-2 and the random samples beyond full scale
    }
  }
}
