#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <iomanip>
#include <map>
#include <numbers>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "mixdown/dsp/eq.h"
#include "support/frequency_response.h"
#include "support/test_signals.h"

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

using namespace mixdown;
using namespace mixdown::dsp;
using mixdown::test::amplitudeToDb;

namespace {

using Band = EqProcessor::Band;
constexpr double kPi = std::numbers::pi;
constexpr std::array<double, 3> kSweepRates = {44100.0, 48000.0, 96000.0};

// The RBJ Audio EQ Cookbook, written again here so the processor is checked
// against the formulas rather than against src/dsp/biquad.cpp. Unnormalised
// H(z) = (b0 + b1 z^-1 + b2 z^-2) / (a0 + a1 z^-1 + a2 z^-2).
struct CookbookSection {
  std::array<double, 3> b{};
  std::array<double, 3> a{};
};

CookbookSection cookbook(BiquadShape shape, double f0, double q, double dbGain, double fs) {
  const double A = std::pow(10.0, dbGain / 40.0);
  const double w0 = 2.0 * kPi * f0 / fs;
  const double cosw0 = std::cos(w0);
  const double alpha = std::sin(w0) / (2.0 * q);
  const double sqrtAalpha2 = 2.0 * std::sqrt(A) * alpha;
  switch (shape) {
    case BiquadShape::Lowpass:
      return {{(1 - cosw0) / 2, 1 - cosw0, (1 - cosw0) / 2}, {1 + alpha, -2 * cosw0, 1 - alpha}};
    case BiquadShape::Highpass:
      return {{(1 + cosw0) / 2, -(1 + cosw0), (1 + cosw0) / 2}, {1 + alpha, -2 * cosw0, 1 - alpha}};
    case BiquadShape::Bandpass:  // constant 0 dB peak gain
      return {{alpha, 0, -alpha}, {1 + alpha, -2 * cosw0, 1 - alpha}};
    case BiquadShape::Notch:
      return {{1, -2 * cosw0, 1}, {1 + alpha, -2 * cosw0, 1 - alpha}};
    case BiquadShape::Peak:
      return {{1 + alpha * A, -2 * cosw0, 1 - alpha * A}, {1 + alpha / A, -2 * cosw0, 1 - alpha / A}};
    case BiquadShape::LowShelf:
      return {{A * ((A + 1) - (A - 1) * cosw0 + sqrtAalpha2), 2 * A * ((A - 1) - (A + 1) * cosw0),
               A * ((A + 1) - (A - 1) * cosw0 - sqrtAalpha2)},
              {(A + 1) + (A - 1) * cosw0 + sqrtAalpha2, -2 * ((A - 1) + (A + 1) * cosw0),
               (A + 1) + (A - 1) * cosw0 - sqrtAalpha2}};
    case BiquadShape::HighShelf:
      return {{A * ((A + 1) + (A - 1) * cosw0 + sqrtAalpha2), -2 * A * ((A - 1) + (A + 1) * cosw0),
               A * ((A + 1) + (A - 1) * cosw0 - sqrtAalpha2)},
              {(A + 1) - (A - 1) * cosw0 + sqrtAalpha2, 2 * ((A - 1) - (A + 1) * cosw0),
               (A + 1) - (A - 1) * cosw0 - sqrtAalpha2}};
  }
  return {};
}

double cookbookMagnitude(const CookbookSection& section, double f, double fs) {
  const std::complex<double> zInverse = std::polar(1.0, -2.0 * kPi * f / fs);
  const auto polynomial = [&](const std::array<double, 3>& c) { return c[0] + zInverse * (c[1] + zInverse * c[2]); };
  return std::abs(polynomial(section.b)) / std::abs(polynomial(section.a));
}

/** Largest |pole| of the section: its transient decays as radius^n. */
double poleRadius(const CookbookSection& section) {
  const auto& a = section.a;
  const std::complex<double> root = std::sqrt(std::complex<double>(a[1] * a[1] - 4 * a[0] * a[2]));
  return std::max(std::abs((-a[1] + root) / (2 * a[0])), std::abs((-a[1] - root) / (2 * a[0])));
}

bool isButterworth(const Band& band) {
  return (band.shape == BiquadShape::Highpass || band.shape == BiquadShape::Lowpass) && band.slopeDbPerOctave > 12;
}

/**
 * Expected |H| of one band. Single sections: the cookbook. Steeper highpass and
 * lowpass: the bilinear transform (prewarped at the corner, as the cookbook is)
 * of the analog Butterworth of order n = slope / 6, in closed form:
 * |H|^2 = 1 / (1 + r^(2n)), r = tan(pi f / fs) / tan(pi f0 / fs) (lowpass), 1 / r (highpass).
 */
double expectedMagnitude(const Band& band, double f, double fs) {
  if (!isButterworth(band))
    return cookbookMagnitude(cookbook(band.shape, band.frequencyHz, band.q, band.gainDb, fs), f, fs);
  const int order = band.slopeDbPerOctave / 6;
  double ratio = std::tan(kPi * f / fs) / std::tan(kPi * band.frequencyHz / fs);
  if (band.shape == BiquadShape::Highpass) ratio = 1.0 / ratio;
  return 1.0 / std::sqrt(1.0 + std::pow(ratio, 2.0 * order));
}

/** Slowest pole radius of the band, from its own sections (Butterworth Q_k = 1 / (2 cos((2k - 1) pi / (2n)))). */
double slowestPoleRadius(const Band& band, double fs) {
  if (!isButterworth(band)) return poleRadius(cookbook(band.shape, band.frequencyHz, band.q, band.gainDb, fs));
  const int order = band.slopeDbPerOctave / 6;
  double radius = 0.0;
  for (int k = 1; k <= order / 2; ++k) {
    const double q = 1.0 / (2.0 * std::cos((2.0 * k - 1.0) * kPi / (2.0 * order)));
    radius = std::max(radius, poleRadius(cookbook(band.shape, band.frequencyHz, q, 0.0, fs)));
  }
  return radius;
}

/** Sweep frequencies: 24 log-spaced from 20 Hz to 0.495 fs, 24 more across where the band is above -100 dB, and f0. */
std::vector<double> sweepFrequencies(const Band& band, double fs) {
  const double top = 0.495 * fs;
  auto logSpaced = [](double low, double high, int count, std::vector<double>& into) {
    for (int i = 0; i < count; ++i) into.push_back(low * std::pow(high / low, i / (count - 1.0)));
  };
  std::vector<double> fine, frequencies;
  logSpaced(20.0, top, 2000, fine);
  double lowest = top, highest = 20.0;
  for (const double f : fine)
    if (amplitudeToDb(expectedMagnitude(band, f, fs)) >= -100.0)
      lowest = std::min(lowest, f), highest = std::max(highest, f);
  logSpaced(20.0, top, 24, frequencies);
  if (lowest < highest) logSpaced(lowest, highest, 24, frequencies);
  frequencies.push_back(band.frequencyHz);
  return frequencies;
}

struct SweepCase {
  std::string label;
  Band band;
};

/**
 * Measures every case's gain (steady-state sine fit) at its sweep frequencies,
 * at each sweep rate and corner, and checks it against expectedMagnitude:
 * 0.01 dB up to 0.45 fs, 0.05 dB above; frequencies where the formula is below
 * -100 dB are skipped (the input's float rounding, -150 dB, limits the
 * measurement there). Logs the worst error per label in dB.
 */
void checkSweep(const std::vector<SweepCase>& cases, const std::vector<double>& cornersHz) {
  std::map<std::string, double> worstDb;
  for (const double fs : kSweepRates) {
    for (const double corner : cornersHz) {
      for (SweepCase sweepCase : cases) {
        sweepCase.band.frequencyHz = corner;
        EqProcessor eq({{sweepCase.band}});
        eq.prepare({fs, 1024, 2});
        const double radius = slowestPoleRadius(sweepCase.band, fs);
        const int settleFrames = 256 + static_cast<int>(std::ceil(std::log(1e-12) / std::log(radius)));
        int compared = 0;
        for (const double f : sweepFrequencies(sweepCase.band, fs)) {
          const double expectedDb = amplitudeToDb(expectedMagnitude(sweepCase.band, f, fs));
          if (expectedDb < -100.0) continue;
          const int measureFrames = std::max(4096, static_cast<int>(3.0 * fs / f));
          const double measuredDb = amplitudeToDb(test::measureSineGain(eq, 2, fs, f, settleFrames, measureFrames));
          const double errorDb = std::abs(measuredDb - expectedDb);
          const double toleranceDb = f <= 0.45 * fs ? 0.01 : 0.05;
          if (errorDb > toleranceDb)
            FAIL_CHECK(sweepCase.label << " f0 " << corner << " Hz at " << fs << " Hz: " << f << " Hz measured "
                                       << measuredDb << " dB, expected " << expectedDb << " dB");
          worstDb[sweepCase.label] = std::max(worstDb[sweepCase.label], errorDb);
          ++compared;
        }
        CHECK_MESSAGE(compared >= 20, sweepCase.label << " f0 " << corner << " at " << fs);
      }
    }
  }
  std::ostringstream summary;
  summary << "worst |measured - formula| in dB:" << std::setprecision(2);
  for (const auto& [label, error] : worstDb) summary << " " << label << " " << error << ";";
  MESSAGE(summary.str());
}

const std::vector<double> kSweepCornersHz = {80.0, 1000.0, 12000.0};

Band band(BiquadShape shape, double frequencyHz, double gainDb = 0.0, double q = 0.707, int slope = 12) {
  return Band{shape, frequencyHz, gainDb, q, slope};
}

/** A multi-band stereo setting with every shape, single sections and Butterworth cascades. */
EqProcessor::Params mixSetting() {
  return {{band(BiquadShape::Highpass, 30.0, 0, 0.707, 24), band(BiquadShape::Notch, 60.0, 0, 10.0),
           band(BiquadShape::LowShelf, 120.0, 3.0), band(BiquadShape::Peak, 400.0, -4.0, 2.0),
           band(BiquadShape::Bandpass, 1500.0, 0, 0.3), band(BiquadShape::Peak, 3000.0, 2.0, 0.7),
           band(BiquadShape::HighShelf, 10000.0, -2.0), band(BiquadShape::Lowpass, 18000.0, 0, 0.707, 48)}};
}

/** Seeded stereo noise (channels differ) for `noiseFrames`, then silence up to `frames`. */
AudioBuffer noiseThenSilence(int frames, int noiseFrames, unsigned seed) {
  AudioBuffer buffer(2, frames);
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  for (int channel = 0; channel < 2; ++channel)
    for (int frame = 0; frame < noiseFrames; ++frame) buffer.block(frames).channel(channel)[frame] = uniform(generator);
  return buffer;
}

bool sameSamples(const AudioBuffer& left, const AudioBuffer& right, int channels, int frames) {
  for (int channel = 0; channel < channels; ++channel)
    if (!std::equal(left.constBlock(channels, frames).channel(channel),
                    left.constBlock(channels, frames).channel(channel) + frames,
                    right.constBlock(channels, frames).channel(channel)))
      return false;
  return true;
}

/** Clears FTZ and DAZ while in scope, so subnormals behave as IEEE 754 says whatever the caller set. */
class ScopedIeeeDenormals {
public:
#if defined(__SSE__) || defined(__x86_64__)
  ScopedIeeeDenormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ & ~(0x8000u | 0x0040u)); }
  ~ScopedIeeeDenormals() { _mm_setcsr(saved_); }

private:
  unsigned saved_;
#endif
};

}  // namespace

TEST_CASE("dsp: eq peak bands with boost and cut match the cookbook at 44.1, 48 and 96 kHz") {
  checkSweep({{"peak +9 dB q 1.4", band(BiquadShape::Peak, 0, 9.0, 1.4)},
              {"peak -12 dB q 4", band(BiquadShape::Peak, 0, -12.0, 4.0)}},
             kSweepCornersHz);
}

TEST_CASE("dsp: eq low and high shelves match the cookbook at 44.1, 48 and 96 kHz") {
  checkSweep({{"low_shelf +6 dB", band(BiquadShape::LowShelf, 0, 6.0, 0.707)},
              {"low_shelf -10 dB q 1.2", band(BiquadShape::LowShelf, 0, -10.0, 1.2)},
              {"high_shelf +4 dB q 0.5", band(BiquadShape::HighShelf, 0, 4.0, 0.5)},
              {"high_shelf -8 dB", band(BiquadShape::HighShelf, 0, -8.0, 0.707)}},
             kSweepCornersHz);
}

TEST_CASE("dsp: eq highpass at 12, 24, 36 and 48 dB/oct matches the cookbook and Butterworth formulas") {
  checkSweep({{"highpass 12 q 0.707", band(BiquadShape::Highpass, 0, 0, 0.707, 12)},
              {"highpass 12 q 2", band(BiquadShape::Highpass, 0, 0, 2.0, 12)},
              {"highpass 24", band(BiquadShape::Highpass, 0, 0, 5.0, 24)},
              {"highpass 36", band(BiquadShape::Highpass, 0, 0, 5.0, 36)},
              {"highpass 48", band(BiquadShape::Highpass, 0, 0, 5.0, 48)}},
             kSweepCornersHz);
}

TEST_CASE("dsp: eq lowpass at 12, 24, 36 and 48 dB/oct matches the cookbook and Butterworth formulas") {
  checkSweep({{"lowpass 12 q 0.707", band(BiquadShape::Lowpass, 0, 0, 0.707, 12)},
              {"lowpass 12 q 1.5", band(BiquadShape::Lowpass, 0, 0, 1.5, 12)},
              {"lowpass 24", band(BiquadShape::Lowpass, 0, 0, 5.0, 24)},
              {"lowpass 36", band(BiquadShape::Lowpass, 0, 0, 5.0, 36)},
              {"lowpass 48", band(BiquadShape::Lowpass, 0, 0, 5.0, 48)}},
             kSweepCornersHz);
}

TEST_CASE("dsp: eq bandpass and notch match the cookbook at 44.1, 48 and 96 kHz") {
  checkSweep({{"bandpass q 2", band(BiquadShape::Bandpass, 0, 0, 2.0)},
              {"notch q 4", band(BiquadShape::Notch, 0, 0, 4.0)}},
             kSweepCornersHz);
}

TEST_CASE("dsp: eq 48 dB/oct highpass is -48 dB one octave below its corner") {
  // 8th-order Butterworth: |H(f0 / 2)| = 1 / sqrt(1 + 2^16) = -48.16 dB (analog); the
  // bilinear transform at 1 kHz moves it by < 0.1 dB.
  for (const double fs : kSweepRates) {
    EqProcessor eq({{band(BiquadShape::Highpass, 1000.0, 0, 0.707, 48)}});
    eq.prepare({fs, 1024, 2});
    const auto spectrum = test::measureImpulseSpectrum(eq, 2, fs, static_cast<int>(fs));  // 1 Hz bins
    CAPTURE(fs);
    CHECK(std::abs(amplitudeToDb(spectrum.magnitudeAt(500.0)) + 48.16) <= 0.5);
    CHECK(std::abs(amplitudeToDb(spectrum.magnitudeAt(1000.0)) + 3.0103) <= 0.01);
  }
}

TEST_CASE("dsp: eq corners at 20 Hz at 192 kHz are -3.01 dB") {
  // 12 dB/oct with q = 1/sqrt(2) and every Butterworth slope: |H(f0)| = 1/sqrt(2) = -3.0103 dB.
  const double fs = 192000.0;
  for (const BiquadShape shape : {BiquadShape::Highpass, BiquadShape::Lowpass}) {
    for (const int slope : {12, 24, 36, 48}) {
      EqProcessor eq({{band(shape, 20.0, 0, 1.0 / std::sqrt(2.0), slope)}});
      eq.prepare({fs, 1024, 2});
      const double sineDb = amplitudeToDb(test::measureSineGain(eq, 2, fs, 20.0, static_cast<int>(fs), 4 * 9600));
      const double fftDb =
          amplitudeToDb(test::measureImpulseSpectrum(eq, 2, fs, 2 * static_cast<int>(fs)).magnitudeAt(20.0));
      CAPTURE(slope);
      CHECK(std::abs(sineDb + 3.0103) <= 0.01);
      CHECK(std::abs(fftDb + 3.0103) <= 0.01);
    }
  }
}

TEST_CASE("dsp: eq whole-buffer output equals random block splits bit for bit") {
  for (const double fs : kSweepRates) {
    const int frames = static_cast<int>(6.0 * fs);  // 1 s of noise, then 5 s of silence to exercise the state flush
    const AudioBuffer input = noiseThenSilence(frames, static_cast<int>(fs), 7u);
    AudioBuffer whole = input;
    EqProcessor wholeEq(mixSetting());
    wholeEq.prepare({fs, frames, 2});
    wholeEq.process(whole.block(frames), {}, 0);

    AudioBuffer split = input;
    EqProcessor splitEq(mixSetting());
    splitEq.prepare({fs, 1024, 2});
    std::mt19937 generator(static_cast<unsigned>(fs));
    std::uniform_int_distribution<int> blockFrames(1, 1024);
    for (int start = 0; start < frames;) {
      const int count = std::min(blockFrames(generator), frames - start);
      splitEq.process(split.block(frames).slice(start, count), {}, start);
      start += count;
    }
    CAPTURE(fs);
    CHECK(sameSamples(whole, split, 2, frames));
    CHECK(whole.constBlock(2, frames).array(0).tail(static_cast<int>(fs)).isZero(0.0f));  // flushed to exact zeros
  }
}

TEST_CASE("dsp: eq reset makes a second run identical to the first") {
  const double fs = 48000.0;
  const int frames = 48000;
  const AudioBuffer input = noiseThenSilence(frames, frames / 2, 11u);
  EqProcessor eq(mixSetting());
  eq.prepare({fs, 512, 2});
  AudioBuffer first = input, second = input;
  for (AudioBuffer* run : {&first, &second}) {
    eq.reset();
    for (int start = 0; start < frames; start += 512)
      eq.process(run->block(frames).slice(start, std::min(512, frames - start)), {}, start);
  }
  CHECK(sameSamples(first, second, 2, frames));
  CHECK(!sameSamples(first, input, 2, frames));
}

TEST_CASE("dsp: eq output has no subnormal samples after a loud passage and 10 s of silence") {
  const ScopedIeeeDenormals ieeeDenormals;  // no FTZ/DAZ: the processor must flush by itself
  for (const double fs : kSweepRates) {
    const int frames = static_cast<int>(11.0 * fs);
    AudioBuffer buffer = noiseThenSilence(frames, static_cast<int>(fs), 3u);
    // Slow decays: a Butterworth section of Q 2.56 at 20 Hz and a +12 dB peak of q 8 at 60 Hz.
    EqProcessor eq({{band(BiquadShape::Highpass, 20.0, 0, 0.707, 48), band(BiquadShape::Peak, 60.0, 12.0, 8.0),
                     band(BiquadShape::LowShelf, 40.0, 6.0), band(BiquadShape::Lowpass, 50.0, 0, 0.707, 24)}});
    eq.prepare({fs, 1024, 2});
    for (int start = 0; start < frames; start += 1024)
      eq.process(buffer.block(frames).slice(start, std::min(1024, frames - start)), {}, start);
    int subnormals = 0;
    for (int channel = 0; channel < 2; ++channel)
      for (int frame = 0; frame < frames; ++frame)
        subnormals += std::fpclassify(buffer.block(frames).channel(channel)[frame]) == FP_SUBNORMAL ? 1 : 0;
    CAPTURE(fs);
    CHECK(subnormals == 0);
    CHECK(buffer.constBlock(2, frames).array(1).tail(static_cast<int>(fs)).isZero(0.0f));
  }
}

TEST_CASE("dsp: eq keeps mono mono, filters channels alike and has no latency") {
  const double fs = 44100.0;
  const int frames = 4096;
  const AudioBuffer stereoInput = noiseThenSilence(frames, frames, 5u);
  AudioBuffer stereo = stereoInput;
  EqProcessor stereoEq(mixSetting());
  stereoEq.prepare({fs, frames, 2});
  stereoEq.process(stereo.block(frames), {}, 0);

  AudioBuffer mono(1, frames);
  std::copy_n(stereoInput.constBlock(2, frames).channel(0), frames, mono.block(frames).channel(0));
  EqProcessor monoEq(mixSetting());
  monoEq.prepare({fs, frames, 1});
  CHECK(monoEq.properties(1).outputChannels == 1);
  CHECK(monoEq.properties(1).latencyFrames == 0);
  monoEq.process(mono.block(frames), {}, 0);
  CHECK(std::equal(mono.constBlock(1, frames).channel(0), mono.constBlock(1, frames).channel(0) + frames,
                   stereo.constBlock(2, frames).channel(0)));
}

TEST_CASE("dsp: eq bands at or above Nyquist are designed just below it and stay finite") {
  const double fs = 44100.0;
  CHECK(eqDesignFrequencyHz(30000.0, fs) == doctest::Approx(kEqMaximumFrequencyRatio * fs));
  CHECK(eqDesignFrequencyHz(fs / 2, fs) < fs / 2);
  CHECK(eqDesignFrequencyHz(std::nan(""), fs) == kEqMinimumFrequencyHz);
  for (const auto shape : {BiquadShape::Peak, BiquadShape::LowShelf, BiquadShape::HighShelf, BiquadShape::Highpass,
                           BiquadShape::Lowpass, BiquadShape::Bandpass, BiquadShape::Notch}) {
    for (const double frequencyHz : {fs / 2, 30000.0}) {
      EqProcessor eq({{band(shape, frequencyHz, 12.0, 0.707, 48)}});
      eq.prepare({fs, 1024, 2});
      AudioBuffer buffer = noiseThenSilence(44100, 44100, 9u);
      eq.process(buffer.block(44100), {}, 0);
      const auto samples = buffer.constBlock(2, 44100).array(0);
      CHECK(samples.isFinite().all());
      CHECK(samples.abs().maxCoeff() < 20.0f);
      // The limit of a lowpass above Nyquist passes 1 kHz unchanged.
      if (shape == BiquadShape::Lowpass)
        CHECK(std::abs(amplitudeToDb(test::measureSineGain(eq, 2, fs, 1000.0, 4096, 4096))) < 0.01);
    }
  }
}
