#pragma once
// Room-acoustics measures of an impulse response, written independently of any
// processor: Schroeder's backward-integrated energy decay curve, the T30 reverberation
// time of ISO 3382-1, octave-band filters, the zero-lag correlation of two channels,
// and the longest gap between samples above a level (sparse echoes, flutter).

#include <cstddef>
#include <vector>

namespace mixdown::test {

/**
 * Schroeder's energy decay curve in dB: EDC(n) = 10 log10(sum_{k >= n} h[k]^2 /
 * sum_k h[k]^2), so EDC(0) = 0 dB (Schroeder, JASA 1965).
 */
std::vector<double> energyDecayCurveDb(const std::vector<float>& impulseResponse);

/**
 * T30 (ISO 3382-1): the least-squares line through the EDC from its first sample at
 * or below -5 dB to its first sample at or below -35 dB, extrapolated to 60 dB of
 * decay: -60 / slope, in seconds. 0 when the EDC never reaches -35 dB.
 */
double t30Seconds(const std::vector<float>& impulseResponse, double sampleRate);

/**
 * The octave band of centreHz: a 4th-order Butterworth highpass at centreHz / sqrt 2
 * followed by a 4th-order Butterworth lowpass at centreHz sqrt 2 (the band edges of
 * IEC 61260), each bilinear-transformed with its corner prewarped, state in double.
 */
std::vector<float> octaveBand(const std::vector<float>& signal, double centreHz, double sampleRate);

/** sum a b / sqrt(sum a^2 sum b^2) over the common length; 0 when either is silent. */
double normalisedCorrelation(const std::vector<float>& a, const std::vector<float>& b);

/** The last index whose |sample| >= level, or -1 when there is none. */
std::ptrdiff_t lastIndexAtOrAbove(const std::vector<float>& samples, double level);

/**
 * The last index n whose RMS over [n - windowFrames / 2, n + windowFrames / 2) (within
 * the signal) is >= level, or -1: where the envelope, rather than a single sample,
 * falls below level.
 */
std::ptrdiff_t lastIndexWithEnvelopeAtOrAbove(const std::vector<float>& samples, double level, std::size_t windowFrames);

/**
 * The longest distance, in frames, between consecutive indices in [first, last] whose
 * |sample| >= level, counting first and last themselves as such indices (so a silent
 * stretch at either end counts as a gap). 0 when last <= first.
 */
std::size_t longestGapFrames(const std::vector<float>& samples, double level, std::size_t first, std::size_t last);

/**
 * The normalised echo density profile of Abel and Huang (AES 121st convention, 2006):
 * eta(n) = (1 / erfc(1 / sqrt 2)) sum_k w(k) [|h(n + k)| > sigma(n)], with w a Hann
 * window of windowMs (weights summing to 1) centred on n and sigma(n) the
 * w-weighted RMS of h around n; 1 for Gaussian noise, near 0 for sparse echoes. Frames
 * whose window does not fit inside the response (the first and last windowMs / 2) are 0.
 * One value per frame.
 */
std::vector<double> normalisedEchoDensity(const std::vector<float>& impulseResponse, double sampleRate,
                                          double windowMs = 20.0);

/** The time in seconds, from frame `start`, of the first frame whose normalised echo density is >= level; -1 if none. */
double secondsToEchoDensity(const std::vector<double>& density, double sampleRate, std::size_t start, double level);

}  // namespace mixdown::test
