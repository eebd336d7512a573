#pragma once
// Pan laws for a mono signal, and balance for a stereo one.
//
// pan runs from -1 (hard left) to +1 (hard right). The law names the gain of
// each side at the centre: -3 dB is constant power (cos/sin), -6 dB constant
// amplitude (linear), -4.5 dB the geometric mean of the two, 0 dB keeps both
// sides at unity until the centre and only attenuates the far side.

namespace mixdown::dsp {

enum class PanLaw { Minus3Db, Minus4_5Db, Minus6Db, ZeroDb };

struct StereoGains {
  double left = 1.0;
  double right = 1.0;
};

/** Gains that place a mono signal at pan under law. Hard left gives right == 0 exactly. */
StereoGains monoPanGains(double pan, PanLaw law);

/** Balance of a stereo signal: the far side falls linearly to 0, the near side stays at unity. */
StereoGains balanceGains(double pan);

}  // namespace mixdown::dsp
