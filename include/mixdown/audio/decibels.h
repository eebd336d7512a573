#pragma once
// Decibels and the linear values they stand for, written once for every
// folder: an amplitude (a gain or a sample's magnitude) is 20 log10 of its
// ratio, a power (an energy or a mean square) 10 log10. A zero converts to
// -infinity, as std::log10 gives it. Out of line, so a
// constant argument gives the bits of the library's pow and log10 too.

namespace mixdown::audio {

/** The amplitude ratio of gainDb: 10^(gainDb / 20). */
double dbToGain(double gainDb) noexcept;

/** An amplitude ratio (or a sample's magnitude against full scale 1) in dB: 20 log10(gain). */
double gainToDb(double gain) noexcept;

/** The power ratio of powerDb: 10^(powerDb / 10). */
double dbToPower(double powerDb) noexcept;

/** A power ratio (an energy, a mean square) in dB: 10 log10(power). */
double powerToDb(double power) noexcept;

}  // namespace mixdown::audio
