#include "mixdown/dsp/pan.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace mixdown::dsp {

StereoGains monoPanGains(double pan, PanLaw law) {
  const double clamped = std::clamp(pan, -1.0, 1.0);
  const double angle = (clamped + 1.0) * std::numbers::pi / 4.0;  // 0 .. pi/2
  // At the ends the trigonometric forms are exact: cos(0) = 1 and sin(0) = 0;
  // cos(pi/2) is not exactly 0 in floating point, so hard right is set explicitly.
  const double constantPowerLeft = clamped >= 1.0 ? 0.0 : std::cos(angle);
  const double constantPowerRight = std::sin(angle);
  const double linearLeft = (1.0 - clamped) / 2.0;
  const double linearRight = (1.0 + clamped) / 2.0;
  switch (law) {
    case PanLaw::Minus3Db: return {constantPowerLeft, constantPowerRight};
    case PanLaw::Minus6Db: return {linearLeft, linearRight};
    case PanLaw::Minus4_5Db:
      return {std::sqrt(constantPowerLeft * linearLeft), std::sqrt(constantPowerRight * linearRight)};
    case PanLaw::ZeroDb: return {std::min(1.0, 1.0 - clamped), std::min(1.0, 1.0 + clamped)};
  }
  return {};
}

StereoGains balanceGains(double pan) {
  const double clamped = std::clamp(pan, -1.0, 1.0);
  if (clamped <= 0.0) return {1.0, 1.0 + clamped};
  return {1.0 - clamped, 1.0};
}

}  // namespace mixdown::dsp
