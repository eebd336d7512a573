#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>

#include "mixdown/dsp/pan.h"

using namespace mixdown::dsp;

TEST_CASE("dsp: pan laws give their named attenuation at the centre") {
  CHECK(monoPanGains(0.0, PanLaw::Minus3Db).left == doctest::Approx(1.0 / std::sqrt(2.0)).epsilon(1e-12));
  CHECK(monoPanGains(0.0, PanLaw::Minus6Db).right == doctest::Approx(0.5).epsilon(1e-12));
  CHECK(monoPanGains(0.0, PanLaw::ZeroDb).left == 1.0);
  // -4.5 dB names the geometric mean of the -3 and -6 dB laws: -4.515 dB at the centre.
  CHECK(monoPanGains(0.0, PanLaw::Minus4_5Db).left == doctest::Approx(std::sqrt(0.5 / std::sqrt(2.0))).epsilon(1e-12));
  CHECK(20.0 * std::log10(monoPanGains(0.0, PanLaw::Minus4_5Db).left) == doctest::Approx(-4.515).epsilon(1e-4));
}

TEST_CASE("dsp: hard pans silence the far side exactly, under every law") {
  for (PanLaw law : {PanLaw::Minus3Db, PanLaw::Minus4_5Db, PanLaw::Minus6Db, PanLaw::ZeroDb}) {
    CHECK(monoPanGains(-1.0, law).right == 0.0);
    CHECK(monoPanGains(-1.0, law).left == 1.0);
    CHECK(monoPanGains(1.0, law).left == 0.0);
    CHECK(monoPanGains(1.0, law).right == 1.0);
  }
}

TEST_CASE("dsp: the -3 dB law keeps power constant across the field") {
  for (double pan = -1.0; pan <= 1.0; pan += 0.125) {
    const StereoGains gains = monoPanGains(pan, PanLaw::Minus3Db);
    CHECK(gains.left * gains.left + gains.right * gains.right == doctest::Approx(1.0).epsilon(1e-12));
  }
}

TEST_CASE("dsp: balance attenuates only the far side, linearly") {
  CHECK(balanceGains(0.0).left == 1.0);
  CHECK(balanceGains(0.0).right == 1.0);
  CHECK(balanceGains(-0.25).right == 0.75);
  CHECK(balanceGains(-0.25).left == 1.0);
  CHECK(balanceGains(1.0).left == 0.0);
}
