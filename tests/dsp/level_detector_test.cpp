// The level detector against the definitions documented in level_detector.h.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

#include "mixdown/dsp/level_detector.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

using namespace mixdown;
using namespace mixdown::dsp;
using mixdown::test::amplitudeToDb;
using mixdown::test::makeNoise;
using mixdown::test::makeSine;

namespace {

/** Levels of a key given as channels, detected in one call or in random blocks (splitSeed != 0). */
std::vector<double> detect(LevelDetector& detector, const std::vector<std::vector<float>>& key, unsigned splitSeed = 0) {
  const int frames = static_cast<int>(key[0].size());
  const int channels = static_cast<int>(key.size());
  AudioBuffer buffer(channels, frames);
  for (int c = 0; c < channels; ++c)
    std::copy(key[static_cast<size_t>(c)].begin(), key[static_cast<size_t>(c)].end(), buffer.block(frames).channel(c));
  std::vector<double> levels(static_cast<size_t>(frames));
  std::mt19937 generator(splitSeed);
  std::uniform_int_distribution<int> blockSize(1, 700);
  for (int first = 0; first < frames;) {
    const int count = splitSeed == 0 ? frames : std::min(blockSize(generator), frames - first);
    detector.process(buffer.constBlock(channels, frames).slice(first, count), levels.data() + first);
    first += count;
  }
  return levels;
}

}  // namespace

TEST_CASE("dsp: level detector peak level is 20 log10 of the largest |x| over the key's channels") {
  LevelDetector detector;
  detector.prepare({DetectorMode::Peak, 10.0, std::nullopt}, 48000.0);
  std::vector<std::vector<float>> key{makeNoise(4096, 1.0, 1), makeNoise(4096, 0.3, 2)};
  key[0][100] = key[1][100] = 0.0f;
  const std::vector<double> levels = detect(detector, key);
  for (std::size_t n = 0; n < 4096; ++n) {
    const double largest = std::max(std::abs(key[0][n]), std::abs(key[1][n]));
    if (n == 100) CHECK(levels[n] == LevelDetector::kFloorDb);
    // The logarithm is fastLog2, within 1e-10 of log2 (fast_math_test): 20 log10(2) 1e-10 = 6e-10 dB.
    else CHECK(std::abs(levels[n] - amplitudeToDb(largest)) < 6.1e-10);
  }
}

TEST_CASE("dsp: level detector rms mean square rises as 1 - exp(-t / tau) and reads a sine 3.01 dB under its peak") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    const double tauMs = 10.0;
    LevelDetector detector;
    detector.prepare({DetectorMode::Rms, tauMs, std::nullopt}, sampleRate);
    const std::vector<double> step = detect(detector, {std::vector<float>(4800, 1.0f)});
    for (const std::size_t n : {0u, 100u, 441u, 960u, 3000u}) {
      const double meanSquare = 1.0 - std::exp(-static_cast<double>(n + 1) * 1000.0 / (tauMs * sampleRate));
      CHECK(step[n] == doctest::Approx(10.0 * std::log10(meanSquare)).epsilon(1e-9));
    }
    // A 1 kHz sine of amplitude 0.5: mean square 0.125, ripple +-4.34 / (4 pi f tau) dB at 2 kHz.
    detector.reset();
    const auto frames = static_cast<std::size_t>(0.2 * sampleRate);
    const std::vector<double> sine = detect(detector, {makeSine(1000.0, sampleRate, frames, 0.5)}, 5);
    const double ripple = 10.0 / std::log(10.0) / (4.0 * std::numbers::pi * 1000.0 * tauMs / 1000.0);
    for (std::size_t n = frames / 2; n < frames; ++n)
      CHECK(std::abs(sine[n] - 10.0 * std::log10(0.125)) <= 1.05 * ripple);
  }
}

TEST_CASE("dsp: level detector stereo rms is the louder channel's mean square") {
  LevelDetector detector;
  detector.prepare({DetectorMode::Rms, 5.0, std::nullopt}, 48000.0);
  const std::vector<double> levels = detect(detector, {std::vector<float>(9600, 0.25f), std::vector<float>(9600, -0.5f)});
  CHECK(levels.back() == doctest::Approx(10.0 * std::log10(0.25)).epsilon(1e-9));
}

TEST_CASE("dsp: level detector key highpass attenuates a low key by the RBJ highpass magnitude") {
  const double sampleRate = 48000.0;
  LevelDetector detector;
  detector.prepare({DetectorMode::Peak, 10.0, DetectorFilter{BiquadShape::Highpass, 1000.0, 0.7071067811865476}},
                   sampleRate);
  const std::vector<double> levels = detect(detector, {makeSine(100.0, sampleRate, 48000, 0.8)});
  const double peak = *std::max_element(levels.begin() + 24000, levels.end());
  // |H| of the cookbook highpass at w = 2 pi f / fs: (1 + cos w0)/2 |1 - z^-1|^2 / |1 + a1 z^-1 + a2 z^-2| (a0 = 1 + alpha).
  const double w0 = 2.0 * std::numbers::pi * 1000.0 / sampleRate, alpha = std::sin(w0) / (2.0 * 0.7071067811865476);
  const double w = 2.0 * std::numbers::pi * 100.0 / sampleRate;
  const double b0 = (1.0 + std::cos(w0)) / 2.0, a0 = 1.0 + alpha, a1 = -2.0 * std::cos(w0), a2 = 1.0 - alpha;
  const double numeric = b0 * (2.0 - 2.0 * std::cos(w));  // |1 - z^-1|^2 = 2 - 2 cos w
  const double re = a0 + a1 * std::cos(w) + a2 * std::cos(2.0 * w), im = -(a1 * std::sin(w) + a2 * std::sin(2.0 * w));
  const double magnitude = numeric / std::hypot(re, im);
  CHECK(std::abs(peak - amplitudeToDb(0.8 * magnitude)) < 0.02);
}

TEST_CASE("dsp: level detector is independent of the block split and decays to the floor without subnormals") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0})
    for (const auto mode : {DetectorMode::Peak, DetectorMode::Rms}) {
      const LevelDetector::Params params{mode, 20.0, DetectorFilter{BiquadShape::Highpass, 40.0, 0.7071067811865476}};
      std::vector<std::vector<float>> key{makeNoise(static_cast<std::size_t>(11 * sampleRate), 1.0, 3),
                                          makeNoise(static_cast<std::size_t>(11 * sampleRate), 1.0, 4)};
      for (auto& channel : key) std::fill(channel.begin() + static_cast<std::ptrdiff_t>(sampleRate), channel.end(), 0.0f);
      LevelDetector whole, split;
      whole.prepare(params, sampleRate);
      split.prepare(params, sampleRate);
      const std::vector<double> expected = detect(whole, key);
      CHECK(detect(split, key, 9) == expected);
      // The filter state and the mean square were flushed to exactly zero by the end of the silence.
      CHECK(expected.back() == LevelDetector::kFloorDb);
    }
}

TEST_CASE("dsp: level detector rejects a key filter at or above half the sample rate") {
  LevelDetector detector;
  CHECK_THROWS_AS(detector.prepare({DetectorMode::Peak, 10.0, DetectorFilter{BiquadShape::Highpass, 24000.0, 0.7}}, 48000.0),
                  std::invalid_argument);
}
