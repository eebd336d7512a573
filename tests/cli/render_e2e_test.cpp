// Acceptance tests of the render core through the real CLI: session files in a
// temporary folder, rendered by `mixdown render`, outputs read back with
// libsndfile and compared with what the formulas say (never with earlier
// output of the code itself).

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "cli/render_support.h"
#include "support/test_signals.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 48000;
constexpr std::int64_t kFrames = 50000;  // not a multiple of any block size

}  // namespace

TEST_CASE("cli: a 0 dB fader at centre under the 0dB pan law renders the stereo source unchanged") {
  RenderFolder folder;
  const PlanarSamples source = noiseChannels(kFrames, 2, 0.9, 20240611);
  folder.writeSource("noise.wav", source, kRate);
  const SoundFileContents mix = renderMix(folder, oneTrackSession("audio/noise.wav", "0dB"));
  CHECK(mix.sampleRate == kRate);
  REQUIRE(mix.channels == 2);
  REQUIRE(mix.frames == kFrames);
  for (std::size_t channel = 0; channel < 2; ++channel) {
    INFO("channel " << channel);
    CHECK(mix.samples[channel] == source[channel]);  // bit for bit
  }
}

TEST_CASE("cli: a fader at +6.0206 dB doubles every sample") {
  RenderFolder folder;
  const PlanarSamples source = noiseChannels(kFrames, 2, 0.45, 7);
  folder.writeSource("noise.wav", source, kRate);
  nlohmann::json session = oneTrackSession("audio/noise.wav", "0dB");
  session["tracks"][0]["gain_db"] = 6.0206;  // 20 log10(2) = 6.020599913...
  const SoundFileContents mix = renderMix(folder, session);
  REQUIRE(mix.channels == 2);
  REQUIRE(mix.frames == kFrames);
  for (std::size_t channel = 0; channel < 2; ++channel) {
    std::size_t outside = 0;
    for (std::size_t frame = 0; frame < source[channel].size(); ++frame) {
      const double expected = 2.0 * source[channel][frame];
      if (std::abs(mix.samples[channel][frame] - expected) > 1e-6 * std::abs(expected)) ++outside;
    }
    INFO("channel " << channel);
    CHECK(outside == 0);
  }
}

TEST_CASE("cli: a mono source panned hard left leaves the right channel exactly 0 under every pan law") {
  RenderFolder folder;
  const PlanarSamples source = noiseChannels(kFrames, 1, 0.8, 99);
  folder.writeSource("mono.wav", source, kRate);
  for (const char* law : {"-3dB", "-4.5dB", "-6dB", "0dB"}) {
    INFO("pan law " << law);
    nlohmann::json session = oneTrackSession("audio/mono.wav", law);
    session["tracks"][0]["pan"] = -1;
    const SoundFileContents mix = renderMix(folder, session);
    REQUIRE(mix.channels == 2);
    REQUIRE(mix.frames == kFrames);
    CHECK(std::all_of(mix.samples[1].begin(), mix.samples[1].end(), [](float sample) { return sample == 0.0f; }));
    // Every law keeps the near side at unity at the end of its travel.
    CHECK(maxDeviation(mix.samples[0], source[0], 1.0) <= 1e-6);
  }
}

namespace {

/** Renders the mono noise at centre pan under law; returns the mix. */
SoundFileContents renderCentred(const RenderFolder& folder, const char* law) {
  nlohmann::json session = oneTrackSession("audio/mono.wav", law);
  session["tracks"][0]["pan"] = 0;
  return renderMix(folder, session);
}

}  // namespace

TEST_CASE("cli: centre pan attenuates a mono source by the pan law on each side") {
  RenderFolder folder;
  const PlanarSamples source = noiseChannels(kFrames, 1, 0.8, 4242);
  folder.writeSource("mono.wav", source, kRate);
  struct Law {
    const char* name;
    double centreGain;
  };
  for (const Law law : {Law{"-3dB", 1.0 / std::sqrt(2.0)}, Law{"-6dB", 0.5}, Law{"0dB", 1.0}}) {
    INFO("pan law " << law.name);
    const SoundFileContents mix = renderCentred(folder, law.name);
    REQUIRE(mix.channels == 2);
    REQUIRE(mix.frames == kFrames);
    for (std::size_t channel = 0; channel < 2; ++channel) CHECK(maxDeviation(mix.samples[channel], source[0], law.centreGain) <= 1e-6);
  }
}

// The -4.5dB law is the geometric mean of the -3 dB and -6 dB laws (docs/session.md):
// centre gain sqrt(cos(pi/4) * 0.5), -4.515 dB.
TEST_CASE("cli: centre pan under the -4.5dB law is the geometric mean of the -3 dB and -6 dB laws") {
  RenderFolder folder;
  const PlanarSamples source = noiseChannels(kFrames, 1, 0.8, 4242);
  folder.writeSource("mono.wav", source, kRate);
  const SoundFileContents mix = renderCentred(folder, "-4.5dB");
  REQUIRE(mix.channels == 2);
  for (std::size_t channel = 0; channel < 2; ++channel) {
    const double gainDb = 20.0 * std::log10(fittedGain(mix.samples[channel], source[0]));
    INFO("channel " << channel << ": centre gain " << gainDb << " dB");
    CHECK(std::abs(gainDb - 20.0 * std::log10(std::sqrt(std::cos(std::acos(-1.0) / 4.0) * 0.5))) <= 1e-5);
    CHECK(maxDeviation(mix.samples[channel], source[0], std::sqrt(std::cos(std::acos(-1.0) / 4.0) * 0.5)) <= 1e-6);
  }
}

TEST_CASE("cli: a 44.1 kHz sine rendered at 48 kHz keeps its level and gains no distortion above -100 dBFS") {
  RenderFolder folder;
  constexpr int kSourceRate = 44100;
  constexpr double kFrequencyHz = 1000.0;
  const double amplitude = std::pow(10.0, -6.0 / 20.0);
  folder.writeSource("sine_44k1.wav", sineChannels(kFrequencyHz, kSourceRate, 2 * kSourceRate, 1, amplitude), kSourceRate);
  nlohmann::json session = oneTrackSession("audio/sine_44k1.wav", "0dB");
  session["sample_rate"] = kRate;
  const SoundFileContents mix = renderMix(folder, session);
  CHECK(mix.sampleRate == kRate);
  REQUIRE(mix.channels == 2);
  CHECK(std::abs(mix.frames - 2 * kRate) <= 1);

  // The middle second, far from the resampler's start and end transients.
  const std::size_t first = kRate / 2;
  const std::size_t count = kRate;
  for (std::size_t channel = 0; channel < 2; ++channel) {
    const SineFit fit = fitSine(mix.samples[channel], first, count, kFrequencyHz, kRate);
    double residualPeak = 0.0;
    const double radiansPerFrame = 2.0 * std::numbers::pi * kFrequencyHz / kRate;
    for (std::size_t frame = first; frame < first + count; ++frame) {
      const double fitted =
          fit.amplitude * std::sin(radiansPerFrame * static_cast<double>(frame) + fit.phaseRad) + fit.dcOffset;
      residualPeak = std::max(residualPeak, std::abs(mix.samples[channel][frame] - fitted));
    }
    INFO("channel " << channel << ": level " << amplitudeToDb(fit.amplitude) << " dBFS, residual peak "
                    << amplitudeToDb(residualPeak) << " dBFS, residual RMS " << fit.residualDbfs() << " dBFS");
    CHECK(std::abs(amplitudeToDb(fit.amplitude) - -6.0) <= 0.05);
    CHECK(amplitudeToDb(residualPeak) < -100.0);
  }
}

}  // namespace mixdown::test
