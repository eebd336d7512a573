#pragma once
// Measured magnitude responses of a Processor, for checking filters against
// their formulas: from the steady-state response to a sine (accurate far into
// a stopband, since the output's float rounding is relative to its own level)
// or from the FFT of the impulse response (one run for every frequency; the
// output's float rounding limits it to about -90 dB below the passband).

#include <vector>

#include "mixdown/dsp/processor.h"

namespace mixdown::test {

/**
 * Gain (linear) at frequencyHz of channel `channel` of a prepared processor:
 * resets it, feeds a sine of `amplitude` to every one of `channels` channels in
 * blocks of blockFrames, lets settleFrames pass so the transient decays, then
 * least-squares fits a sine at frequencyHz to the next measureFrames output
 * frames and divides its amplitude by `amplitude`.
 */
double measureSineGain(Processor& processor, int channels, double sampleRate, double frequencyHz, int settleFrames,
                       int measureFrames, int blockFrames = 1024, double amplitude = 0.5, int channel = 0);

/** |DFT| of a measured impulse response, bins 0 .. fftFrames / 2; bin k is at k * sampleRate / fftFrames Hz. */
struct MagnitudeSpectrum {
  double sampleRate = 0.0;
  int fftFrames = 0;
  std::vector<double> magnitudes;

  double binSpacingHz() const { return sampleRate / fftFrames; }
  /** The magnitude at the bin nearest frequencyHz; choose fftFrames so the frequency falls on a bin. */
  double magnitudeAt(double frequencyHz) const;
};

/**
 * Resets a prepared processor, feeds a unit impulse at frame 0 (every channel)
 * followed by silence, fftFrames frames in blocks of blockFrames, and returns
 * the magnitude spectrum of channel `channel`'s output. fftFrames must be long
 * enough for the response to decay; any size works (Eigen's FFT is mixed radix).
 */
MagnitudeSpectrum measureImpulseSpectrum(Processor& processor, int channels, double sampleRate, int fftFrames,
                                         int blockFrames = 1024, int channel = 0);

/**
 * Power |X[k]|^2 of bins k = 0 .. count / 2 of the DFT of samples[first, first + count), rectangular
 * window: for a signal coherent with the window (a whole number of periods) each tone falls on one bin.
 */
std::vector<double> coherentBinPowers(const std::vector<float>& samples, size_t first, size_t count);

/**
 * THD+N in dB of samples[first, first + count) (a whole number of periods of fundamentalBin): the
 * power of every bin but DC and the fundamental's against the fundamental's.
 */
double thdPlusNoiseDb(const std::vector<float>& samples, size_t first, size_t count, size_t fundamentalBin);

}  // namespace mixdown::test
