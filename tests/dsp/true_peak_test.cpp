// The true-peak meter against analytic true peaks (sines whose crest falls
// between samples, band-limited clicks) and against libebur128's
// EBUR128_MODE_TRUE_PEAK on the same signals.

#include "mixdown/dsp/true_peak.h"

#include <doctest/doctest.h>
#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "support/test_signals.h"

using namespace mixdown;
using namespace mixdown::dsp;
using mixdown::test::amplitudeToDb;

namespace {

constexpr double kPi = std::numbers::pi;

/** Largest report of a fresh meter over samples followed by latencyFrames() zeros. */
double meterPeak(const std::vector<float>& samples, int oversampling) {
  TruePeakMeter meter(oversampling);
  std::vector<float> input = samples;
  input.resize(samples.size() + static_cast<size_t>(meter.latencyFrames()), 0.0f);
  std::vector<float> peaks(input.size());
  meter.process(input.data(), peaks.data(), static_cast<int>(input.size()));
  return *std::max_element(peaks.begin(), peaks.end());
}

/** libebur128's true peak (its 4x / 2x interpolator) of a mono signal, flushed with zeros. */
double libebur128Peak(const std::vector<float>& samples, double sampleRate) {
  ebur128_state* state = ebur128_init(1, static_cast<unsigned long>(sampleRate), EBUR128_MODE_TRUE_PEAK);
  REQUIRE(state != nullptr);
  std::vector<float> input = samples;
  input.resize(samples.size() + 256, 0.0f);
  ebur128_add_frames_float(state, input.data(), input.size());
  double peak = 0.0;
  ebur128_true_peak(state, 0, &peak);
  ebur128_destroy(&state);
  return peak;
}

/** Raised-cosine fades over the first and last 256 frames, so a cut signal does not ring at its ends. */
std::vector<float> faded(std::vector<float> samples) {
  const size_t fade = std::min<size_t>(256, samples.size() / 2);
  for (size_t n = 0; n < fade; ++n) {
    const auto gain = static_cast<float>(0.5 - 0.5 * std::cos(kPi * static_cast<double>(n) / static_cast<double>(fade)));
    samples[n] *= gain;
    samples[samples.size() - 1 - n] *= gain;
  }
  return samples;
}

/** amplitude sin(2 pi n / periodFrames + phase), faded in and out: the EBU Tech 3341 true-peak sines. */
std::vector<float> periodicSine(double periodFrames, double phaseDegrees, double amplitude, size_t frames) {
  std::vector<float> samples(frames);
  for (size_t n = 0; n < frames; ++n)
    samples[n] = static_cast<float>(amplitude * std::sin(2.0 * kPi * static_cast<double>(n) / periodFrames +
                                                          phaseDegrees * kPi / 180.0));
  return faded(samples);
}

/**
 * A click whose band-limited waveform peaks at exactly amplitude at the fractional
 * frame peakFrame: amplitude sinc(bandwidth (t - peakFrame)) under a Kaiser window
 * (beta 8) of +-64 frames. Its spectrum ends near bandwidth * fs / 2 (< fs / 2), so
 * the samples carry the waveform and its true peak is amplitude, wherever it falls.
 */
std::vector<float> bandLimitedClick(double peakFrame, double amplitude, size_t frames, double bandwidth = 0.9) {
  std::vector<float> samples(frames, 0.0f);
  const auto besselI0 = [](double x) {
    double term = 1.0, sum = 1.0;
    for (int k = 1; k < 60; ++k) sum += (term *= x * x / (4.0 * k * k));
    return sum;
  };
  for (size_t n = 0; n < frames; ++n) {
    const double t = static_cast<double>(n) - peakFrame;
    if (std::abs(t) >= 64.0) continue;
    const double window = besselI0(8.0 * std::sqrt(1.0 - (t / 64.0) * (t / 64.0))) / besselI0(8.0);
    const double sinc = t == 0.0 ? 1.0 : std::sin(bandwidth * kPi * t) / (bandwidth * kPi * t);
    samples[n] = static_cast<float>(amplitude * sinc * window);
  }
  return samples;
}

}  // namespace

TEST_CASE("dsp: true peak of a fs/4 sine at 45 degrees is 3.01 dB over its sample peak") {
  // A sin(pi n / 2 + pi / 4): every sample is +-A / sqrt 2, the crests A fall half-way between samples.
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    CAPTURE(sampleRate);
    const auto sine = periodicSine(4.0, 45.0, 0.8, 8000);
    const double samplePeak = mixdown::test::peakOf(sine);
    CHECK(amplitudeToDb(samplePeak) == doctest::Approx(amplitudeToDb(0.8 / std::sqrt(2.0))).epsilon(1e-6));
    for (const int oversampling : {TruePeakMeter::standardOversampling(sampleRate), 8, 16}) {
      CAPTURE(oversampling);
      const double truePeak = meterPeak(sine, oversampling);
      CHECK(std::abs(amplitudeToDb(truePeak) - amplitudeToDb(0.8)) < 0.1);
      CHECK(std::abs(amplitudeToDb(truePeak / samplePeak) - 10.0 * std::log10(2.0)) < 0.1);
    }
  }
}

TEST_CASE("dsp: true peak reads the EBU Tech 3341 true-peak sines at their listed levels") {
  // Tech 3341 items 15 .. 19 at 48 kHz: (period, phase, amplitude) -> -6.0, -6.0, -6.0, -6.0, +3.0 dBTP.
  struct Item {
    double periodFrames, phaseDegrees, amplitude;
  };
  for (const Item item : {Item{4.0, 0.0, 0.5}, Item{4.0, 45.0, 0.5}, Item{6.0, 60.0, 0.5}, Item{8.0, 67.5, 0.5},
                          Item{4.0, 45.0, 1.41}}) {
    CAPTURE(item.periodFrames);
    CAPTURE(item.phaseDegrees);
    const auto sine = periodicSine(item.periodFrames, item.phaseDegrees, item.amplitude, 48000);
    const double expectedDb = amplitudeToDb(item.amplitude);
    const double measuredDb = amplitudeToDb(meterPeak(sine, TruePeakMeter::standardOversampling(48000.0)));
    CHECK(std::abs(measuredDb - expectedDb) < 0.1);
    CHECK(std::abs(measuredDb - amplitudeToDb(libebur128Peak(sine, 48000.0))) < 0.2);
  }
}

TEST_CASE("dsp: true peak finds band-limited clicks between samples") {
  for (const double sampleRate : {44100.0, 48000.0}) {
    for (const double offset : {0.0, 0.25, 0.5, 0.75, 0.37}) {
      CAPTURE(sampleRate);
      CAPTURE(offset);
      // Content up to 0.45 fs: the standard 4x grid holds crests at quarter frames; 8x is within
      // 1/16 frame of any crest (cos-like loss < 0.01 dB here).
      const auto click = bandLimitedClick(1000.0 + offset, 1.0, 2048);
      if (offset != 0.37) CHECK(std::abs(amplitudeToDb(meterPeak(click, TruePeakMeter::standardOversampling(sampleRate)))) < 0.1);
      CHECK(std::abs(amplitudeToDb(meterPeak(click, 8))) < 0.05);
      if (offset == 0.5) CHECK(amplitudeToDb(mixdown::test::peakOf(click)) < -0.8);  // the samples miss the crest
      // Content up to 0.3 fs, where libebur128's 49-tap filter is still flat.
      const auto narrowClick = bandLimitedClick(1000.0 + offset, 1.0, 2048, 0.6);
      const double narrowDb = amplitudeToDb(meterPeak(narrowClick, TruePeakMeter::standardOversampling(sampleRate)));
      CHECK(std::abs(narrowDb - amplitudeToDb(libebur128Peak(narrowClick, sampleRate))) < 0.2);
    }
  }
}

TEST_CASE("dsp: true peak of sines up to 0.46 fs is their amplitude within 0.02 dB at 8x") {
  // Over many periods of an incommensurate frequency the crests take every position between
  // samples, so the largest 8x reading is A cos(pi f / (8 fs)) or better; the band-limited
  // amplitude A is the reference. 0.46 fs is 20.3 kHz at 44.1 kHz.
  std::mt19937 random(3341);
  std::uniform_real_distribution<double> phase(0.0, 2.0 * kPi);
  for (const double ratio : {0.013, 0.1, 0.2237, 0.31, 0.3917, 0.43, 0.46}) {
    CAPTURE(ratio);
    const auto sine = faded(mixdown::test::makeSine(ratio * 48000.0, 48000.0, 20000, 0.7, phase(random)));
    const double gridLoss = std::cos(kPi * ratio / 8.0);
    const double peak = meterPeak(sine, 8);
    CHECK(amplitudeToDb(peak) <= amplitudeToDb(0.7) + 0.02);
    CHECK(amplitudeToDb(peak) >= amplitudeToDb(0.7 * gridLoss) - 0.02);
  }
}

TEST_CASE("dsp: true peak agrees with libebur128 on synthesized programme") {
  std::mt19937 random(1770);
  std::uniform_real_distribution<double> phase(0.0, 2.0 * kPi);
  std::normal_distribution<double> noise(0.0, 0.2);
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    const auto frames = static_cast<size_t>(sampleRate / 2);
    std::vector<std::vector<float>> signals;
    // Tone bursts under a Hann envelope, up to 0.3 fs (libebur128's filter rolls off above).
    for (const double ratio : {0.002, 0.05, 0.137, 0.21, 0.3}) {
      auto burst = mixdown::test::makeSine(ratio * sampleRate, sampleRate, frames, 0.9, phase(random));
      for (size_t n = 0; n < frames; ++n)
        burst[n] *= static_cast<float>(0.5 - 0.5 * std::cos(2.0 * kPi * static_cast<double>(n) / static_cast<double>(frames)));
      signals.push_back(burst);
    }
    // Noise low-passed by a 4-point moving average twice: zeros at 0.25 and 0.5 fs, sidelobe -23 dB.
    std::vector<float> white(frames), smooth(frames, 0.0f);
    for (float& sample : white) sample = static_cast<float>(noise(random));
    for (size_t n = 7; n < frames; ++n) {
      double sum = 0.0;
      for (size_t k = 0; k < 7; ++k) sum += (k < 4 ? static_cast<double>(k + 1) : static_cast<double>(7 - k)) * white[n - k];
      smooth[n] = static_cast<float>(sum / 16.0);
    }
    signals.push_back(faded(smooth));
    signals.push_back(bandLimitedClick(777.3, 0.9, frames, 0.6));
    for (const auto& signal : signals) {
      CAPTURE(sampleRate);
      const double mine = amplitudeToDb(meterPeak(signal, TruePeakMeter::standardOversampling(sampleRate)));
      CHECK(std::abs(mine - amplitudeToDb(libebur128Peak(signal, sampleRate))) < 0.2);
    }
  }
}

TEST_CASE("dsp: true peak reports each sample latencyFrames later and never below it") {
  std::mt19937 random(5);
  std::normal_distribution<float> noise(0.0f, 0.3f);
  for (const int oversampling : {1, 2, 4, 8, 16}) {
    CAPTURE(oversampling);
    TruePeakMeter meter(oversampling);
    std::vector<float> input(3000);
    for (float& sample : input) sample = noise(random);
    input[1000] = 1.5f;
    std::vector<float> peaks(input.size());
    meter.process(input.data(), peaks.data(), static_cast<int>(input.size()));
    const int latency = meter.latencyFrames();
    CHECK(latency == (oversampling == 1 ? 0 : TruePeakMeter::kDefaultTapsPerPhase / 2));
    CHECK(peaks[static_cast<size_t>(1000 + latency)] >= 1.5f);
    for (size_t n = static_cast<size_t>(latency); n < input.size(); ++n)
      CHECK_MESSAGE(peaks[n] >= std::abs(input[n - static_cast<size_t>(latency)]), n);
  }
  // A unit impulse after silence: phase 0 is the sample itself, exactly.
  TruePeakMeter meter(4);
  std::vector<float> impulse(100, 0.0f), peaks(100);
  impulse[10] = 1.0f;
  meter.process(impulse.data(), peaks.data(), 100);
  CHECK(peaks[static_cast<size_t>(10 + meter.latencyFrames())] == 1.0f);
  CHECK(peaks[static_cast<size_t>(9 + meter.latencyFrames())] < 1.0f);
}

TEST_CASE("dsp: true peak block split equals whole buffer and the threshold mode is exact above it") {
  std::mt19937 random(48000);
  std::normal_distribution<float> noise(0.0f, 0.25f);
  std::uniform_int_distribution<int> blockFrames(1, 700);
  std::vector<float> input(20000);
  for (size_t n = 0; n < input.size(); ++n) input[n] = noise(random) * (n % 5000 < 2500 ? 1.0f : 0.05f);
  for (const int oversampling : {2, 4, 8}) {
    CAPTURE(oversampling);
    TruePeakMeter whole(oversampling), split(oversampling), thresholded(oversampling);
    std::vector<float> wholePeaks(input.size()), splitPeaks(input.size()), thresholdPeaks(input.size(), 0.0f);
    whole.process(input.data(), wholePeaks.data(), static_cast<int>(input.size()));
    for (int first = 0; first < static_cast<int>(input.size());) {
      const int frames = std::min(blockFrames(random), static_cast<int>(input.size()) - first);
      split.process(input.data() + first, splitPeaks.data() + first, frames);
      thresholded.processMaxAbove(input.data() + first, thresholdPeaks.data() + first, frames, 0.5f);
      first += frames;
    }
    CHECK(wholePeaks == splitPeaks);
    int exactAbove = 0;
    for (size_t n = 0; n < input.size(); ++n) {
      if (wholePeaks[n] > 0.5f) {
        ++exactAbove;
        CHECK(thresholdPeaks[n] == wholePeaks[n]);
      } else {
        CHECK(thresholdPeaks[n] <= 0.5f);
      }
    }
    CHECK(exactAbove > 0);
    // reset() returns to the state after construction.
    whole.reset();
    std::vector<float> again(input.size());
    whole.process(input.data(), again.data(), static_cast<int>(input.size()));
    CHECK(again == wholePeaks);
  }
}
