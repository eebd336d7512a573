#include "mixdown/audio/decibels.h"

#include <cmath>

namespace mixdown::audio {

double dbToGain(double gainDb) noexcept { return std::pow(10.0, gainDb / 20.0); }

double gainToDb(double gain) noexcept { return 20.0 * std::log10(gain); }

double dbToPower(double powerDb) noexcept { return std::pow(10.0, powerDb / 10.0); }

double powerToDb(double power) noexcept { return 10.0 * std::log10(power); }

}  // namespace mixdown::audio
