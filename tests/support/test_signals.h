#pragma once
// Test signals and independent measurements: sines, a least-squares sine fit at a
// known frequency, levels in dB.

#include <cstddef>
#include <vector>

namespace mixdown::test {

/** amplitude * sin(2 pi frequencyHz n / sampleRate + phaseRad), n = 0 .. frames-1, computed in double. */
std::vector<float> makeSine(double frequencyHz, double sampleRate, std::size_t frames, double amplitude = 1.0,
                            double phaseRad = 0.0);

struct SineFit {
  double amplitude = 0.0;    // A of A sin(2 pi f n / fs + phase) + dc
  double phaseRad = 0.0;     // in (-pi, pi], at sample index 0
  double dcOffset = 0.0;
  double residualRms = 0.0;  // RMS of what the fitted sine and dc leave
  double residualDbfs() const;
};

/**
 * Least-squares fit of A sin(2 pi f n / fs + phase) + dc to samples[first, first +
 * count), with n the sample's index in samples (so the phase refers to index 0).
 */
SineFit fitSine(const std::vector<float>& samples, std::size_t first, std::size_t count, double frequencyHz,
                double sampleRate);

/** Whether a and b hold the same samples bit for bit (-0 and +0 differ, as do NaNs' payloads). */
bool sameBits(const std::vector<float>& a, const std::vector<float>& b);

/** The difference a - b of two angles, wrapped into (-pi, pi]. */
double angleDifference(double a, double b);

/** 20 log10(amplitude); -inf for 0. */
double amplitudeToDb(double amplitude);
double dbToAmplitude(double db);

double peakOf(const std::vector<float>& samples);
double rmsOf(const std::vector<float>& samples);

}  // namespace mixdown::test
