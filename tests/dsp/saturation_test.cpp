#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <numbers>
#include <random>
#include <stdexcept>
#include <unsupported/Eigen/FFT>
#include <vector>

#include "mixdown/dsp/saturation.h"
#include "mixdown/dsp/waveshaper_curves.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

using mixdown::AudioBlock;
using mixdown::ProcessSpec;
using mixdown::dsp::SaturationProcessor;
using Curve = SaturationProcessor::Curve;
using namespace mixdown::test;

namespace {

constexpr int kMaxBlock = 1024;
const double kRates[] = {44100.0, 48000.0, 96000.0};
const Curve kCurves[] = {Curve::Tanh, Curve::SoftClip, Curve::Tape};

SaturationProcessor::Params paramsOf(double driveDb, Curve curve, double mix, double outputDb, int oversample) {
  SaturationProcessor::Params params;
  params.driveDb = driveDb;
  params.curve = curve;
  params.mix = mix;
  params.outputDb = outputDb;
  params.oversample = oversample;
  return params;
}

/** Processes a copy of input in blocks whose sizes cycle through blockSizes; returns the output. */
Channels run(SaturationProcessor& processor, const Channels& input, const std::vector<int>& blockSizes) {
  const int channels = static_cast<int>(input.size());
  const int frames = static_cast<int>(input[0].size());
  std::vector<float> planar(static_cast<std::size_t>(channels * frames));
  for (int channel = 0; channel < channels; ++channel)
    std::copy(input[static_cast<std::size_t>(channel)].begin(), input[static_cast<std::size_t>(channel)].end(),
              planar.begin() + static_cast<std::ptrdiff_t>(channel) * frames);
  std::size_t next = 0;
  for (int first = 0; first < frames;) {
    const int count = std::min(blockSizes[next++ % blockSizes.size()], frames - first);
    processor.process(AudioBlock(planar.data() + first, channels, count, frames), {}, first);
    first += count;
  }
  Channels output(static_cast<std::size_t>(channels));
  for (int channel = 0; channel < channels; ++channel)
    output[static_cast<std::size_t>(channel)].assign(planar.begin() + static_cast<std::ptrdiff_t>(channel) * frames,
                                                    planar.begin() + static_cast<std::ptrdiff_t>(channel + 1) * frames);
  return output;
}

Channels noise(int channels, int frames, unsigned seed, float amplitude = 1.0f) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> value(-amplitude, amplitude);
  Channels signal(static_cast<std::size_t>(channels), std::vector<float>(static_cast<std::size_t>(frames)));
  for (auto& channel : signal)
    for (float& sample : channel) sample = value(generator);
  return signal;
}

struct AliasMeasurement {
  double worstDbc = -400.0;  // strongest component not at a harmonic, relative to the fundamental
  double frequencyHz = 0.0;
};

/**
 * A full-scale 7 kHz sine at 48 kHz through tanh saturation with 12 dB of
 * drive (and the given even amount); the spectrum of 65536 steady-state output frames under a 7-term
 * Blackman-Harris window (sidelobes below -180 dB; main lobe +-7 bins). Every
 * bin further than 10 bins from the harmonics k * 7 kHz below Nyquist
 * (k = 0 .. 3) is an alias.
 */
AliasMeasurement measureAliases(int oversample, double even = 0.0) {
  constexpr double kRate = 48000.0;
  constexpr double kFundamentalHz = 7000.0;
  constexpr std::size_t kFftFrames = 65536;
  constexpr std::size_t kSettleFrames = 8192;
  auto params = paramsOf(12.0, Curve::Tanh, 1.0, 0.0, oversample);
  params.even = even;
  SaturationProcessor processor(params);
  processor.prepare(ProcessSpec{kRate, kMaxBlock, 1});
  const Channels output =
      run(processor, {makeSine(kFundamentalHz, kRate, kSettleFrames + kFftFrames, 1.0)}, {kMaxBlock});

  // 7-term Blackman-Harris coefficients (Albrecht, "A family of cosine-sum
  // windows for high-resolution measurements", ICASSP 2001).
  constexpr double kTerms[] = {0.27105140069342, 0.43329793923448, 0.21812299954311, 0.06592544638803,
                               0.01081174209837, 0.00077658482522, 0.00001388721735};
  std::vector<double> windowed(kFftFrames);
  for (std::size_t n = 0; n < kFftFrames; ++n) {
    double window = 0.0;
    for (std::size_t term = 0; term < std::size(kTerms); ++term) {
      const double sign = term % 2 == 0 ? 1.0 : -1.0;
      window += sign * kTerms[term] *
                std::cos(2.0 * std::numbers::pi * static_cast<double>(term * n) / static_cast<double>(kFftFrames));
    }
    windowed[n] = window * output[0][kSettleFrames + n];
  }
  Eigen::FFT<double> fft;
  std::vector<std::complex<double>> spectrum;
  fft.fwd(spectrum, windowed);

  const double binHz = kRate / kFftFrames;
  const double guardHz = 10.0 * binHz;
  double fundamental = 0.0;
  for (std::size_t bin = 0; bin <= kFftFrames / 2; ++bin)
    if (std::abs(static_cast<double>(bin) * binHz - kFundamentalHz) <= guardHz) fundamental = std::max(fundamental, std::abs(spectrum[bin]));
  AliasMeasurement result;
  for (std::size_t bin = 0; bin <= kFftFrames / 2; ++bin) {
    const double frequency = static_cast<double>(bin) * binHz;
    const double nearestHarmonic = std::round(frequency / kFundamentalHz) * kFundamentalHz;
    if (std::abs(frequency - nearestHarmonic) <= guardHz && nearestHarmonic <= kRate / 2.0) continue;
    const double levelDbc = amplitudeToDb(std::abs(spectrum[bin]) / fundamental);
    if (levelDbc > result.worstDbc) {
      result.worstDbc = levelDbc;
      result.frequencyHz = frequency;
    }
  }
  return result;
}

}  // namespace

TEST_CASE("dsp: saturation at 4x leaves no alias above -70 dBc on a 7 kHz sine driven 12 dB into tanh") {
  const AliasMeasurement measured = measureAliases(4);
  MESSAGE("4x: worst alias " << measured.worstDbc << " dBc at " << measured.frequencyHz << " Hz");
  CHECK(measured.worstDbc < -70.0);
  for (const int factor : {2, 8}) {
    const AliasMeasurement other = measureAliases(factor);
    MESSAGE(factor << "x: worst alias " << other.worstDbc << " dBc at " << other.frequencyHz << " Hz");
  }
}

TEST_CASE("dsp: saturation with even 1 at 4x keeps every alias below the same -70 dBc") {
  const AliasMeasurement measured = measureAliases(4, 1.0);
  MESSAGE("even 1, 4x: worst alias " << measured.worstDbc << " dBc at " << measured.frequencyHz << " Hz");
  CHECK(measured.worstDbc < -70.0);
  for (const int factor : {1, 2, 8}) {
    const AliasMeasurement other = measureAliases(factor, 1.0);
    MESSAGE("even 1, " << factor << "x: worst alias " << other.worstDbc << " dBc at " << other.frequencyHz << " Hz");
  }
}

TEST_CASE("dsp: saturation at 1x fails the same alias measurement, so the measurement can fail") {
  const AliasMeasurement measured = measureAliases(1);
  MESSAGE("1x: worst alias " << measured.worstDbc << " dBc at " << measured.frequencyHz << " Hz");
  CHECK(measured.worstDbc > -70.0);
}

TEST_CASE("dsp: saturation passes a quiet signal at drive times output gain within 0.01 dB") {
  constexpr double kRate = 48000.0;
  constexpr double kAmplitude = 1e-4;  // -80 dBFS
  for (const Curve curve : kCurves) {
    for (const int factor : {1, 2, 4, 8}) {
      for (const double driveDb : {0.0, 12.0, 48.0}) {
        for (const double outputDb : {-6.0, 0.0, 6.0}) {
          SaturationProcessor processor(paramsOf(driveDb, curve, 1.0, outputDb, factor));
          processor.prepare(ProcessSpec{kRate, kMaxBlock, 1});
          const Channels output = run(processor, {makeSine(1000.0, kRate, 8192, kAmplitude)}, {kMaxBlock});
          const SineFit fit = fitSine(output[0], 2048, 4800, 1000.0, kRate);
          CHECK(std::abs(amplitudeToDb(fit.amplitude / kAmplitude) - (driveDb + outputDb)) < 0.01);
        }
      }
    }
  }
}

TEST_CASE("dsp: saturation with mix 0 returns the input delayed by exactly latencyFrames") {
  for (const int factor : {1, 2, 4, 8}) {
    SaturationProcessor processor(paramsOf(24.0, Curve::Tape, 0.0, 6.0, factor));
    processor.prepare(ProcessSpec{48000.0, kMaxBlock, 2});
    const int latency = processor.properties(1).latencyFrames;
    const Channels input = noise(2, 6000, 11);
    const Channels output = run(processor, input, randomBlockSizes(5, kMaxBlock));
    for (std::size_t channel = 0; channel < 2; ++channel) {
      const auto& in = input[channel];
      const auto& out = output[channel];
      CHECK(std::all_of(out.begin(), out.begin() + latency, [](float sample) { return sample == 0.0f; }));
      CHECK(std::equal(out.begin() + latency, out.end(), in.begin()));
    }
  }
}

TEST_CASE("dsp: saturation lines dry up with wet, so a clean signal at mix 0.5 is the delayed input") {
  constexpr double kRate = 48000.0;
  constexpr double kAmplitude = 0.01;  // -40 dBFS: tanh is linear to 3e-5 here
  for (const int factor : {1, 2, 4, 8}) {
    SaturationProcessor processor(paramsOf(0.0, Curve::Tanh, 0.5, 0.0, factor));
    processor.prepare(ProcessSpec{kRate, kMaxBlock, 1});
    const int latency = processor.properties(1).latencyFrames;
    const std::vector<float> input = makeSine(5000.0, kRate, 8192, kAmplitude);
    const Channels output = run(processor, {input}, {kMaxBlock});
    double worstError = 0.0;
    for (std::size_t n = 2048; n < input.size(); ++n)
      worstError = std::max(worstError, std::abs(static_cast<double>(output[0][n]) - input[n - static_cast<std::size_t>(latency)]));
    CHECK(worstError < 1e-3 * kAmplitude);
  }
}

TEST_CASE("dsp: saturation output equals random-block-split output bit for bit") {
  for (const double rate : kRates) {
    for (const int factor : {1, 2, 4, 8}) {
      for (const Curve curve : kCurves) {
        const Channels input = noise(2, 7000, 21);
        // retarget() before the first block starts 10 ms ramps of drive, output
        // gain and mix, so the ramps are checked too.
        const auto start = paramsOf(12.0, curve, 0.7, -3.0, factor);
        const auto target = paramsOf(18.0, curve, 0.4, -6.0, factor);
        SaturationProcessor whole(start);
        whole.prepare(ProcessSpec{rate, kMaxBlock, 2});
        const int rampFrames = static_cast<int>(rate / 100.0);
        whole.retarget(target, rampFrames);
        SaturationProcessor split(start);
        split.prepare(ProcessSpec{rate, kMaxBlock, 2});
        split.retarget(target, rampFrames);
        const Channels wholeOutput = run(whole, input, {kMaxBlock});
        const Channels splitOutput =
            run(split, input, randomBlockSizes(static_cast<unsigned>(factor) * 7u + static_cast<unsigned>(rate), kMaxBlock));
        CHECK(wholeOutput == splitOutput);
      }
    }
  }
}

TEST_CASE("dsp: saturation reset repeats the output") {
  for (const int factor : {1, 2, 4, 8}) {
    SaturationProcessor processor(paramsOf(12.0, Curve::SoftClip, 0.8, 0.0, factor));
    processor.prepare(ProcessSpec{44100.0, kMaxBlock, 2});
    const Channels input = noise(2, 5000, 31);
    const Channels first = run(processor, input, randomBlockSizes(1, kMaxBlock));
    processor.reset();
    const Channels second = run(processor, input, randomBlockSizes(2, kMaxBlock));
    CHECK(first == second);
  }
}

TEST_CASE("dsp: saturation outputs are never subnormal, without the flush-to-zero guard") {
  // A sine that decays from -6 dBFS through the subnormal range to zero; the
  // test thread runs with the default floating-point mode (no FTZ/DAZ).
  constexpr int kFrames = 20000;
  std::vector<float> input(kFrames);
  for (int n = 0; n < kFrames; ++n)
    input[static_cast<std::size_t>(n)] =
        static_cast<float>(0.5 * std::sin(0.3 * n) * std::exp(-static_cast<double>(n) / 150.0));
  REQUIRE(std::any_of(input.begin(), input.end(), [](float x) { return std::fpclassify(x) == FP_SUBNORMAL; }));
  for (const Curve curve : kCurves) {
    for (const int factor : {1, 2, 4, 8}) {
      for (const double mix : {0.0, 0.5, 1.0}) {
        auto params = paramsOf(6.0, curve, mix, 0.0, factor);
        params.even = mix;  // 0, 0.5, 1: the bend and its DC blocker too
        SaturationProcessor processor(params);
        processor.prepare(ProcessSpec{48000.0, kMaxBlock, 1});
        const Channels output = run(processor, {input}, {kMaxBlock});
        CHECK(std::none_of(output[0].begin(), output[0].end(),
                           [](float x) { return std::fpclassify(x) == FP_SUBNORMAL; }));
      }
    }
  }
}

TEST_CASE("dsp: saturation curves follow their formulas") {
  double tanhError = 0.0;
  for (double x = -12.0; x <= 12.0; x += 1.0 / 1024.0)
    tanhError = std::max(tanhError, std::abs(mixdown::dsp::tanhCurve(static_cast<float>(x)) - std::tanh(x)));
  MESSAGE("tanh approximation: max absolute error " << tanhError);
  CHECK(tanhError < 5e-7);  // the fit's 2e-8 plus float rounding of the evaluation

  using mixdown::dsp::softClipCurve;
  CHECK(softClipCurve(0.75f) == doctest::Approx(0.75 - 4.0 / 27.0 * 0.421875).epsilon(1e-7));
  CHECK(softClipCurve(1.5f) == doctest::Approx(1.0).epsilon(1e-7));
  CHECK(softClipCurve(3.0f) == 1.0f);
  CHECK(softClipCurve(-3.0f) == -1.0f);

  using mixdown::dsp::tapeCurve;
  for (const float x : {0.1f, 0.5f, 1.0f, 3.0f, 100.0f}) {
    CHECK(tapeCurve(x) == doctest::Approx(x / std::sqrt(1.0 + static_cast<double>(x) * x)).epsilon(1e-6));
    CHECK(tapeCurve(-x) == -tapeCurve(x));
  }
  CHECK(tapeCurve(1e30f) == doctest::Approx(1.0).epsilon(1e-7));
}

TEST_CASE("dsp: saturation prepare rejects an oversampling factor other than 1, 2, 4 or 8") {
  SaturationProcessor processor(paramsOf(6.0, Curve::Tanh, 1.0, 0.0, 3));
  CHECK_THROWS_AS(processor.prepare(ProcessSpec{48000.0, kMaxBlock, 2}), std::invalid_argument);
}
