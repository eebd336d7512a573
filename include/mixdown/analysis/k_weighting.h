#pragma once
// The K-weighting of ITU-R BS.1770-4 at any sample rate: its two second-order
// stages, the pre-filter (a high shelf of about +4 dB above 1.5 kHz, modelling
// the head) and the RLB highpass (about 38 Hz), designed from the analog
// prototypes that give BS.1770-4's 48 kHz coefficients (Tables 1 and 2) by the
// bilinear transform: shelf f0 1681.974450955533 Hz, gain 3.999843853973347 dB,
// Q 0.7071752369554196; highpass f0 38.13547087602444 Hz, Q 0.5003270373238773
// (the same prototypes libebur128 uses).

#include <array>

#include "mixdown/dsp/biquad.h"

namespace mixdown::analysis {

/** The pre-filter, then the RLB highpass, for sampleRateHz (> 2 * 1682 Hz for a meaningful shelf). */
std::array<dsp::BiquadCoefficients, 2> kWeightingSections(double sampleRateHz) noexcept;

}  // namespace mixdown::analysis
