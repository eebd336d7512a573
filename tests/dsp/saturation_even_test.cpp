// The `even` amount of the saturation processor: its harmonics against the
// Fourier series of its formula, its DC, and an even of 0 as without it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <numbers>
#include <vector>

#include "mixdown/audio/decibels.h"
#include "mixdown/dsp/saturation.h"
#include "mixdown/dsp/waveshaper_curves.h"
#include "support/frequency_response.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

using mixdown::dsp::SaturationProcessor;
using Curve = SaturationProcessor::Curve;
using namespace mixdown::test;

namespace {

const double kRates[] = {44100.0, 48000.0, 96000.0};
const Curve kCurves[] = {Curve::Tanh, Curve::SoftClip, Curve::Tape};

SaturationProcessor::Params paramsOf(Curve curve, double driveDb, double even, int oversample = 4, double mix = 1.0) {
  SaturationProcessor::Params params;
  params.curve = curve;
  params.driveDb = driveDb;
  params.even = even;
  params.oversample = oversample;
  params.mix = mix;
  return params;
}

/** The curves' formulas in double precision (std::tanh, not the float fit the processor runs). */
double curveFormula(Curve curve, double x) {
  switch (curve) {
    case Curve::Tanh: return std::tanh(x);
    case Curve::SoftClip: return std::abs(x) >= 1.5 ? std::copysign(1.0, x) : x - 4.0 / 27.0 * x * x * x;
    case Curve::Tape: return x / std::sqrt(1.0 + x * x);
  }
  return 0.0;
}

/**
 * Amplitudes of harmonics 0 .. count - 1 (0: the DC) of c + (even / 2) c^2
 * with c = curve(amplitude sin(theta)): its Fourier coefficients summed over
 * 2^16 points of one period (the trapezoid rule, exact to rounding for a
 * periodic function whose series has decayed far below that by then).
 */
std::vector<double> predictedHarmonics(Curve curve, double amplitude, double even, int count) {
  constexpr int kPoints = 1 << 16;
  std::vector<std::complex<double>> sums(static_cast<std::size_t>(count));
  for (int point = 0; point < kPoints; ++point) {
    const double theta = 2.0 * std::numbers::pi * point / kPoints;
    const double shaped = curveFormula(curve, amplitude * std::sin(theta));
    const double bent = shaped + 0.5 * even * shaped * shaped;
    for (int harmonic = 0; harmonic < count; ++harmonic)
      sums[static_cast<std::size_t>(harmonic)] += bent * std::polar(1.0, -harmonic * theta);
  }
  std::vector<double> amplitudes(static_cast<std::size_t>(count));
  for (int harmonic = 0; harmonic < count; ++harmonic)
    amplitudes[static_cast<std::size_t>(harmonic)] =
        (harmonic == 0 ? 1.0 : 2.0) * std::abs(sums[static_cast<std::size_t>(harmonic)]) / kPoints;
  return amplitudes;
}

}  // namespace

TEST_CASE("dsp: saturation even adds the even harmonics its formula predicts, within 0.05 dB, and no DC") {
  constexpr double kFundamentalHz = 1000.0;
  constexpr double kInputAmplitude = 0.5;
  constexpr double kDriveDb = 6.0;
  constexpr int kHarmonics = 6;
  for (const double rate : kRates) {
    // One second settles the DC blocker (time constant 32 ms); the next second, a
    // whole number of periods, gives 1 Hz bins with every harmonic on its own bin.
    const auto frames = static_cast<std::size_t>(rate);
    for (const Curve curve : kCurves) {
      for (const double even : {0.25, 1.0}) {
        SaturationProcessor processor(paramsOf(curve, kDriveDb, even));
        const Channels output =
            processChannels(processor, rate, {makeSine(kFundamentalHz, rate, 2 * frames, kInputAmplitude)}, {}, 17);
        const std::vector<double> powers = coherentBinPowers(output[0], frames, frames);
        const double drivenAmplitude = kInputAmplitude * mixdown::audio::dbToGain(kDriveDb);
        const std::vector<double> predicted = predictedHarmonics(curve, drivenAmplitude, even, kHarmonics);
        const double fundamental = 2.0 * std::sqrt(powers[1000]) / static_cast<double>(frames);
        CAPTURE(rate);
        CAPTURE(static_cast<int>(curve));
        CAPTURE(even);
        CHECK(std::abs(amplitudeToDb(fundamental / predicted[1])) < 0.05);
        for (int harmonic = 2; harmonic < kHarmonics; ++harmonic) {
          const double measured = 2.0 * std::sqrt(powers[static_cast<std::size_t>(harmonic) * 1000]) / static_cast<double>(frames);
          const double expectedDbc = amplitudeToDb(predicted[static_cast<std::size_t>(harmonic)] / predicted[1]);
          const double measuredDbc = amplitudeToDb(measured / fundamental);
          CAPTURE(harmonic);
          CAPTURE(expectedDbc);
          CAPTURE(measuredDbc);
          if (harmonic % 2 == 0) CHECK(expectedDbc > -60.0);  // the even harmonics are really there
          if (expectedDbc > -90.0) CHECK(std::abs(measuredDbc - expectedDbc) < 0.05);
        }
        const double dc = std::sqrt(powers[0]) / static_cast<double>(frames);
        MESSAGE("fs " << rate << ", curve " << static_cast<int>(curve) << ", even " << even << ": 2nd harmonic "
                      << amplitudeToDb(2.0 * std::sqrt(powers[2000]) / static_cast<double>(frames) / fundamental)
                      << " dBc (formula " << amplitudeToDb(predicted[2] / predicted[1]) << "), DC " << amplitudeToDb(dc)
                      << " dBFS (" << amplitudeToDb(predicted[0]) << " before the blocker)");
        CAPTURE(amplitudeToDb(predicted[0]));
        CHECK(predicted[0] > 0.01);  // the bend's DC before the blocker: above -40 dBFS
        CHECK(dc < 1e-5);            // after it: below -100 dBFS
      }
    }
  }
}

TEST_CASE("dsp: saturation without even has odd harmonics only, so the measurement above can fail") {
  const std::vector<double> predicted = predictedHarmonics(Curve::Tanh, 1.0, 0.0, 5);
  CHECK(predicted[2] < 1e-12);
  CHECK(predicted[4] < 1e-12);
  SaturationProcessor processor(paramsOf(Curve::Tanh, 6.0, 0.0));
  const Channels output = processChannels(processor, 48000.0, {makeSine(1000.0, 48000.0, 96000, 0.5)});
  const std::vector<double> powers = coherentBinPowers(output[0], 48000, 48000);
  CHECK(amplitudeToDb(std::sqrt(powers[2000] / powers[1000])) < -120.0);
}

TEST_CASE("dsp: saturation with even 0 is the curve of the driven input, bit for bit") {
  // At 1x the processor is drive, curve and output gain; even 0 adds nothing to that.
  const std::vector<float> input = makeNoise(5000, 1.0, 41);
  for (const Curve curve : kCurves) {
    SaturationProcessor processor(paramsOf(curve, 12.0, 0.0, 1));
    const Channels output = processChannels(processor, 48000.0, {input}, {}, 5);
    const auto drive = static_cast<float>(mixdown::audio::dbToGain(12.0));
    std::vector<float> expected(input.size());
    for (std::size_t n = 0; n < input.size(); ++n) {
      const float driven = input[n] * drive;
      expected[n] = curve == Curve::Tanh       ? mixdown::dsp::tanhCurve(driven)
                    : curve == Curve::SoftClip ? mixdown::dsp::softClipCurve(driven)
                                               : mixdown::dsp::tapeCurve(driven);
    }
    CHECK(sameBits(output[0], expected));
  }
}

TEST_CASE("dsp: saturation with even at mix 0 is still the delayed input, bit for bit") {
  SaturationProcessor processor(paramsOf(Curve::Tape, 18.0, 0.8, 4, 0.0));
  const Channels input = {makeNoise(6000, 0.9, 51), makeNoise(6000, 0.9, 52)};
  const Channels output = processChannels(processor, 44100.0, input, {}, 9);
  const auto latency = static_cast<std::size_t>(processor.properties(2).latencyFrames);
  for (std::size_t channel = 0; channel < 2; ++channel)
    CHECK(std::equal(output[channel].begin() + static_cast<std::ptrdiff_t>(latency), output[channel].end(),
                     input[channel].begin()));
}

TEST_CASE("dsp: saturation with even equals random-block-split output bit for bit") {
  for (const double rate : kRates) {
    for (const int factor : {1, 2, 4, 8}) {
      const Channels input = {makeNoise(7000, 1.0, 61), makeNoise(7000, 1.0, 62)};
      SaturationProcessor whole(paramsOf(Curve::Tanh, 12.0, 0.6, factor, 0.9));
      SaturationProcessor split(paramsOf(Curve::Tanh, 12.0, 0.6, factor, 0.9));
      const Channels wholeOutput = processChannels(whole, rate, input);
      const Channels splitOutput = processChannels(split, rate, input, {}, 71 + static_cast<unsigned>(factor));
      CHECK(wholeOutput == splitOutput);
    }
  }
}
