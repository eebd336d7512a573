// The band sets against their definitions: ISO 266 third octaves (centres
// 10^(n/10) Hz, edges 10^(+-1/20) around them, named by
// the standard's preferred numbers) and ERB-spaced bands (Glasberg and Moore).

#include "mixdown/analysis/frequency_bands.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

namespace mixdown::analysis {

TEST_CASE("analysis: third octaves are ISO 266's: centres 10^(n/10), edges 10^(+-1/20) around them, nominal names") {
  const std::vector<FrequencyBand> bands = thirdOctaveBands(22050.0);
  // 20 Hz (n = 13) to 16 kHz (n = 42): the 20 kHz band's upper edge, 22.39 kHz, is above 22.05 kHz.
  REQUIRE(bands.size() == 30);
  for (size_t i = 0; i < bands.size(); ++i) {
    const double centre = std::pow(10.0, (13.0 + static_cast<double>(i)) / 10.0);
    CHECK(bands[i].centreHz() == doctest::Approx(centre).epsilon(1e-12));
    CHECK(bands[i].highHz / bands[i].lowHz == doctest::Approx(std::pow(10.0, 0.1)).epsilon(1e-12));
  }
  const std::vector<double> nominal{20,   25,   31.5, 40,   50,   63,   80,   100,  125,   160,
                                    200,  250,  315,  400,  500,  630,  800,  1000, 1250,  1600,
                                    2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000};
  for (size_t i = 0; i < bands.size(); ++i) CHECK(nominalThirdOctaveHz(bands[i].centreHz()) == doctest::Approx(nominal[i]));
  CHECK(thirdOctaveBands(24000.0).size() == 31);
}

TEST_CASE("analysis: ERB bands are equally spaced in ERB number between their limits") {
  const std::vector<FrequencyBand> bands = erbBands(40, 20.0, 20000.0);
  REQUIRE(bands.size() == 40);
  CHECK(bands.front().lowHz == doctest::Approx(20.0));
  CHECK(bands.back().highHz == doctest::Approx(20000.0));
  const double step = (erbNumberOf(20000.0) - erbNumberOf(20.0)) / 40.0;
  for (const FrequencyBand& band : bands) CHECK(erbNumberOf(band.highHz) - erbNumberOf(band.lowHz) == doctest::Approx(step));
}

}  // namespace mixdown::analysis
