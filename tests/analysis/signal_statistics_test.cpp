// Sample peak, RMS, DC offset and stereo correlation against closed forms:
// a sine's mean square is A^2 / 2, a constant's mean is itself, Pearson's r of
// x with itself is 1 and with -x is -1, and of independent noises is within a
// few 1 / sqrt(n) of 0.

#include "mixdown/analysis/signal_statistics.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

#include "analysis/feed_signal.h"

using namespace mixdown;
using namespace mixdown::analysis;
using mixdown::test::feedSignal;
using mixdown::test::hashNoise;

namespace {

constexpr int kRate = 48000;
constexpr std::int64_t kFrames = 10 * kRate;

template <typename Sample>
SignalStatistics measure(int channels, Sample&& sample, std::int64_t frames = kFrames) {
  SignalStatisticsMeter meter(channels);
  feedSignal(meter, channels, 0, frames, sample);
  return meter.result();
}

double sine(double frequencyHz, std::int64_t frame, double phaseRad = 0.0) {
  return std::sin(2.0 * std::numbers::pi * frequencyHz * static_cast<double>(frame) / kRate + phaseRad);
}

}  // namespace

TEST_CASE("signal statistics: a full-scale sine reads 0 dBFS peak and -3.01 dBFS RMS") {
  // 997 Hz (not a divisor of the rate, so the crests fall everywhere between samples) over 10 s.
  const SignalStatistics statistics = measure(2, [](std::int64_t frame, int) { return sine(997.0, frame); });
  REQUIRE(statistics.rmsDbfs.has_value());
  CHECK(*statistics.rmsDbfs == doctest::Approx(-10.0 * std::log10(2.0)).epsilon(1e-5));
  REQUIRE(statistics.samplePeakDbfs.has_value());
  CHECK(*statistics.samplePeakDbfs <= 0.0);
  CHECK(*statistics.samplePeakDbfs > -0.001);
  // Whole periods of a sine have no DC: |mean| below 1e-5 (the part period at the end: < 1 / (pi f T)).
  REQUIRE(statistics.dcOffset.has_value());
  CHECK(std::abs(*statistics.dcOffset) < 1e-5);
}

TEST_CASE("signal statistics: RMS averages the power of every channel") {
  // Channel 1 a sine of amplitude 0.5 (mean square 0.125), channel 2 silent: RMS = 10 log10(0.125 / 2).
  const SignalStatistics statistics =
      measure(2, [](std::int64_t frame, int channel) { return channel == 0 ? 0.5 * sine(1000.0, frame) : 0.0; });
  REQUIRE(statistics.rmsDbfs.has_value());
  CHECK(*statistics.rmsDbfs == doctest::Approx(10.0 * std::log10(0.125 / 2.0)).epsilon(1e-5));
  REQUIRE(statistics.samplePeakDbfs.has_value());
  CHECK(*statistics.samplePeakDbfs == doctest::Approx(20.0 * std::log10(0.5)).epsilon(1e-5));
}

TEST_CASE("signal statistics: the DC offset is the mean of the channel farthest from zero, with its sign") {
  // Constants 0.25 and -0.5: DC -0.5 (-6.02 dBFS), peak -6.02 dBFS, RMS 10 log10((0.0625 + 0.25) / 2).
  const SignalStatistics statistics = measure(2, [](std::int64_t, int channel) { return channel == 0 ? 0.25 : -0.5; });
  REQUIRE(statistics.dcOffset.has_value());
  CHECK(*statistics.dcOffset == doctest::Approx(-0.5).epsilon(1e-12));
  CHECK(*statistics.rmsDbfs == doctest::Approx(10.0 * std::log10((0.0625 + 0.25) / 2.0)).epsilon(1e-9));
  CHECK(*statistics.samplePeakDbfs == doctest::Approx(20.0 * std::log10(0.5)).epsilon(1e-9));
  // A constant channel has no correlation with anything.
  CHECK_FALSE(statistics.correlation.has_value());
  // A sine riding on 0.01 of DC: the mean is 0.01 (-40 dBFS).
  const SignalStatistics riding = measure(1, [](std::int64_t frame, int) { return 0.01 + 0.5 * sine(1000.0, frame); });
  CHECK(*riding.dcOffset == doctest::Approx(0.01).epsilon(1e-6));
}

TEST_CASE("signal statistics: stereo correlation of identical, inverted, shifted and unrelated channels") {
  const auto noise = [](std::int64_t frame) { return 0.5 * hashNoise(11, frame); };
  SUBCASE("identical channels read 1") {
    const auto statistics = measure(2, [&](std::int64_t frame, int) { return noise(frame); });
    REQUIRE(statistics.correlation.has_value());
    CHECK(*statistics.correlation == doctest::Approx(1.0).epsilon(1e-12));
  }
  SUBCASE("one channel inverted reads -1") {
    const auto statistics =
        measure(2, [&](std::int64_t frame, int channel) { return (channel == 0 ? 1 : -1) * noise(frame); });
    REQUIRE(statistics.correlation.has_value());
    CHECK(*statistics.correlation == doctest::Approx(-1.0).epsilon(1e-12));
  }
  SUBCASE("a DC offset in one channel does not change Pearson's r") {
    const auto statistics =
        measure(2, [&](std::int64_t frame, int channel) { return (channel == 0 ? 0.4 : 0.0) + 0.5 * noise(frame); });
    REQUIRE(statistics.correlation.has_value());
    CHECK(*statistics.correlation == doctest::Approx(1.0).epsilon(1e-9));
  }
  SUBCASE("independent noise reads near 0") {
    // 480000 frames: the standard deviation of r is 1 / sqrt(n) = 0.0014; 0.01 is 7 of them.
    const auto statistics =
        measure(2, [](std::int64_t frame, int channel) { return 0.5 * hashNoise(20 + channel, frame); });
    REQUIRE(statistics.correlation.has_value());
    CHECK(std::abs(*statistics.correlation) < 0.01);
  }
  SUBCASE("sine and cosine (90 degrees apart) read near 0, 60 degrees reads cos 60 = 0.5") {
    const auto quadrature =
        measure(2, [](std::int64_t frame, int channel) { return sine(1000.0, frame, channel * std::numbers::pi / 2); });
    CHECK(std::abs(*quadrature.correlation) < 1e-6);
    const auto sixty =
        measure(2, [](std::int64_t frame, int channel) { return sine(1000.0, frame, channel * std::numbers::pi / 3); });
    CHECK(*sixty.correlation == doctest::Approx(0.5).epsilon(1e-6));
  }
}

TEST_CASE("signal statistics: silence and mono read null where a figure does not exist") {
  const SignalStatistics silent = measure(2, [](std::int64_t, int) { return 0.0; });
  CHECK_FALSE(silent.samplePeakDbfs.has_value());
  CHECK_FALSE(silent.rmsDbfs.has_value());
  CHECK_FALSE(silent.correlation.has_value());
  REQUIRE(silent.dcOffset.has_value());
  CHECK(*silent.dcOffset == 0.0);

  const SignalStatistics mono = measure(1, [](std::int64_t frame, int) { return sine(1000.0, frame); });
  CHECK_FALSE(mono.correlation.has_value());
  CHECK(mono.rmsDbfs.has_value());

  const SignalStatistics empty = SignalStatisticsMeter(2).result();
  CHECK_FALSE(empty.dcOffset.has_value());
  CHECK_FALSE(empty.rmsDbfs.has_value());
}

TEST_CASE("signal statistics: the result does not depend on how the input is split into blocks") {
  const auto sample = [](std::int64_t frame, int channel) {
    return 0.1 * channel + 0.3 * hashNoise(5, frame, channel) + 0.2 * sine(440.0, frame);
  };
  SignalStatisticsMeter whole(2);
  feedSignal(whole, 2, 0, kRate, kRate, sample, [] {});
  SignalStatisticsMeter split(2);
  std::mt19937 random(99);
  std::uniform_int_distribution<int> size(1, 1024);
  for (std::int64_t first = 0; first < kRate;) {
    const std::int64_t frames = std::min<std::int64_t>(size(random), kRate - first);
    feedSignal(split, 2, first, frames, static_cast<int>(frames), sample, [] {});
    first += frames;
  }
  const SignalStatistics a = whole.result(), b = split.result();
  CHECK(a.samplePeakDbfs == b.samplePeakDbfs);
  CHECK(a.rmsDbfs == b.rmsDbfs);
  CHECK(a.dcOffset == b.dcOffset);
  CHECK(a.correlation == b.correlation);
}

TEST_CASE("signal statistics: a large DC offset under faint, correlated noise reads as a two-pass sum in long double") {
  // Mean 0.9 with noise 80 dB below it: sum(x^2) - n mean^2 would cancel to nothing in double. The
  // reference takes the means first, then the deviations, in long double; the meter merges segments.
  const auto sample = [](std::int64_t frame, int channel) {
    const double shared = hashNoise(3, frame), own = hashNoise(4, frame, channel);
    return (channel == 0 ? 0.9 : -0.7) + 1e-4 * (0.8 * shared + 0.6 * own);
  };
  const std::int64_t frames = 48000 * 3 + 77;  // not a whole number of segments
  std::vector<float> left, right;
  for (std::int64_t frame = 0; frame < frames; ++frame) {
    left.push_back(static_cast<float>(sample(frame, 0)));
    right.push_back(static_cast<float>(sample(frame, 1)));
  }
  long double meanLeft = 0, meanRight = 0;
  for (std::size_t i = 0; i < left.size(); ++i) {
    meanLeft += left[i];
    meanRight += right[i];
  }
  meanLeft /= static_cast<long double>(left.size());
  meanRight /= static_cast<long double>(right.size());
  long double varianceLeft = 0, varianceRight = 0, covariance = 0;
  for (std::size_t i = 0; i < left.size(); ++i) {
    varianceLeft += (left[i] - meanLeft) * (left[i] - meanLeft);
    varianceRight += (right[i] - meanRight) * (right[i] - meanRight);
    covariance += (left[i] - meanLeft) * (right[i] - meanRight);
  }
  const auto expectedCorrelation = static_cast<double>(covariance / std::sqrt(varianceLeft * varianceRight));

  const SignalStatistics measured = measure(2, [&](std::int64_t frame, int channel) {
    return channel == 0 ? left[static_cast<std::size_t>(frame)] : right[static_cast<std::size_t>(frame)];
  }, frames);
  REQUIRE(measured.dcOffset.has_value());
  CHECK(*measured.dcOffset == doctest::Approx(static_cast<double>(meanLeft)).epsilon(1e-12));
  REQUIRE(measured.correlation.has_value());
  CHECK(expectedCorrelation > 0.3);  // float rounding of 0.9 + 1e-4 noise keeps part of the shared noise
  CHECK(*measured.correlation == doctest::Approx(expectedCorrelation).epsilon(1e-9));
}

TEST_CASE("signal statistics: NaN, +infinity and -infinity samples are counted, finite ones are not") {
  // Channel 0: NaN at every 1000th frame (480); channel 1: +inf at frames 1 mod 3000 (160) and -inf at
  // frames 2 mod 7000 (69); the two never meet (1 and 2 differ mod gcd(3000, 7000) = 1000).
  const SignalStatistics statistics = measure(2, [](std::int64_t frame, int channel) {
    if (channel == 0) return frame % 1000 == 0 ? std::numeric_limits<double>::quiet_NaN() : 0.5;
    if (frame % 3000 == 1) return std::numeric_limits<double>::infinity();
    if (frame % 7000 == 2) return -std::numeric_limits<double>::infinity();
    return 3.0e38;  // large, still finite
  });
  CHECK(statistics.nonFiniteSamples == 480 + 160 + 69);
  CHECK(measure(1, [](std::int64_t, int) { return 0.25; }).nonFiniteSamples == 0);
}
