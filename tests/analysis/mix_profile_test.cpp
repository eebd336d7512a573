// The profile of one file (analysis/mix_profile.h) against what the signals
// are known to hold: a sine's band level is 10 log10(A^2 / 2); identical,
// opposite and unrelated channels have correlations 1, -1 and 0 and lose 0,
// everything and 3.01 dB in mono; a sine's crest factor is sqrt(2); a file
// loud for 10 s and 20 dB quieter for 10 s has its 90th and 10th percentile
// short-term levels 20 dB apart.

#include "mixdown/analysis/mix_profile.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "support/cli_fixtures.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 48000;

analysis::MixProfile profileOf(const std::filesystem::path& path) {
  return analysis::profileOfFile(path, analysis::thirdOctaveBands(kRate / 2.0), analysis::broadBands(kRate / 2.0));
}

/** The broad band holding frequencyHz. */
const analysis::BandLevels& broadBandAt(const analysis::MixProfile& profile, double frequencyHz) {
  for (const auto& band : profile.broadBands)
    if (band.band.lowHz <= frequencyHz && frequencyHz < band.band.highHz) return band.levels;
  FAIL("no broad band holds " << frequencyHz << " Hz");
  return profile.broadBands.front().levels;
}

const analysis::BandLevels& thirdOctaveAt(const analysis::MixProfile& profile, double frequencyHz) {
  for (const auto& band : profile.thirdOctaves)
    if (band.band.lowHz <= frequencyHz && frequencyHz < band.band.highHz) return band.levels;
  FAIL("no third octave holds " << frequencyHz << " Hz");
  return profile.thirdOctaves.front().levels;
}

}  // namespace

TEST_CASE("analysis: a sine's band level is 10 log10(A^2 / 2), its crest factor 3.01 dB, in the band that holds it") {
  TempDir folder;
  const double amplitude = 0.25;
  // Faded in and out over 50 ms: the crossovers' onset transient would raise the peak, and an abrupt
  // start or end is a click with power in every band.
  PlanarSamples sine = sineChannels(1000.0, kRate, 10 * kRate, 1, amplitude);
  const int fadeFrames = kRate / 20;
  for (int n = 0; n < fadeFrames; ++n) {
    const auto fade = static_cast<float>(0.5 - 0.5 * std::cos(M_PI * n / fadeFrames));
    sine[0][static_cast<std::size_t>(n)] *= fade;
    sine[0][sine[0].size() - 1 - static_cast<std::size_t>(n)] *= fade;
  }
  writeWav(folder.file("sine.wav"), sine, kRate, SampleFormat::Float32);
  const analysis::MixProfile profile = profileOf(folder.file("sine.wav"));
  const double expectedDb = 10.0 * std::log10(amplitude * amplitude / 2.0);
  CHECK(std::abs(thirdOctaveAt(profile, 1000.0).midDb - expectedDb) < 0.05);
  CHECK(std::abs(broadBandAt(profile, 1000.0).midDb - expectedDb) < 0.05);
  // Far bands hold only the window's leakage.
  CHECK(thirdOctaveAt(profile, 100.0).midDb < expectedDb - 80.0);
  CHECK(broadBandAt(profile, 10000.0).midDb < expectedDb - 80.0);
  REQUIRE(broadBandAt(profile, 1000.0).crestDb);
  CHECK(std::abs(*broadBandAt(profile, 1000.0).crestDb - 10.0 * std::log10(2.0)) < 0.05);
  // A mono file: no side, correlation 1, nothing lost in mono.
  CHECK(thirdOctaveAt(profile, 1000.0).sideDb == -std::numeric_limits<double>::infinity());
  CHECK(*thirdOctaveAt(profile, 1000.0).correlation == 1.0);
  CHECK(*thirdOctaveAt(profile, 1000.0).monoLossDb == 0.0);
}

TEST_CASE("analysis: identical, opposite and unrelated channels: correlation 1, -1, 0 and mono loss 0, total, -3.01 dB") {
  TempDir folder;
  const PlanarSamples noise = noiseChannels(10 * kRate, 2, 0.3, 7);
  writeWav(folder.file("same.wav"), {noise[0], noise[0]}, kRate, SampleFormat::Float32);
  std::vector<float> inverted = noise[0];
  for (float& sample : inverted) sample = -sample;
  writeWav(folder.file("opposite.wav"), {noise[0], inverted}, kRate, SampleFormat::Float32);
  writeWav(folder.file("unrelated.wav"), noise, kRate, SampleFormat::Float32);

  const analysis::MixProfile same = profileOf(folder.file("same.wav"));
  const analysis::MixProfile unrelated = profileOf(folder.file("unrelated.wav"));
  for (const double frequencyHz : {100.0, 1000.0, 10000.0}) {
    CAPTURE(frequencyHz);
    const auto& identical = thirdOctaveAt(same, frequencyHz);
    CHECK(*identical.correlation == doctest::Approx(1.0).epsilon(1e-9));
    CHECK(std::abs(*identical.monoLossDb) < 1e-9);
    CHECK(identical.sideDb == -std::numeric_limits<double>::infinity());
    const auto& apart = thirdOctaveAt(unrelated, frequencyHz);
    CHECK(std::abs(*apart.correlation) < 0.05);
    CHECK(std::abs(*apart.monoLossDb - 10.0 * std::log10(0.5)) < 0.25);
    // Unrelated channels of equal level: side as loud as mid.
    CHECK(std::abs(apart.sideDb - apart.midDb) < 0.25);
  }
  // Opposite channels: the mid is silent and mono loses everything.
  const analysis::MixProfile opposite = profileOf(folder.file("opposite.wav"));
  const auto& cancelled = thirdOctaveAt(opposite, 1000.0);
  CHECK(cancelled.midDb == -std::numeric_limits<double>::infinity());
  CHECK(*cancelled.correlation == doctest::Approx(-1.0).epsilon(1e-9));
  CHECK(*cancelled.monoLossDb == -std::numeric_limits<double>::infinity());
}

TEST_CASE("analysis: 10 s loud then 10 s 20 dB quieter: the 90th and 10th percentile short-term levels are 20 dB apart") {
  TempDir folder;
  const double loud = 0.5;
  std::vector<float> signal = sineChannels(1000.0, kRate, 20 * kRate, 1, loud)[0];
  for (std::size_t n = 10 * kRate; n < signal.size(); ++n) signal[n] *= 0.1f;
  writeWav(folder.file("steps.wav"), {signal}, kRate, SampleFormat::Float32);
  const analysis::MixProfile profile = profileOf(folder.file("steps.wav"));
  const auto& band = thirdOctaveAt(profile, 1000.0);
  const double loudDb = 10.0 * std::log10(loud * loud / 2.0);
  // Windows of 3 s every 1 s: 8 wholly loud, 2 across the step, 8 wholly quiet.
  CHECK(std::abs(band.midP90Db - loudDb) < 0.05);
  CHECK(std::abs(band.midP10Db - (loudDb - 20.0)) < 0.05);
  CHECK(band.midP50Db < loudDb - 0.05);
  CHECK(band.midP50Db > loudDb - 20.0 + 0.05);
  // The long-term level is the mean power of both halves.
  CHECK(std::abs(band.midDb - 10.0 * std::log10((loud * loud / 2.0) * (1.0 + 0.01) / 2.0)) < 0.05);
}

TEST_CASE("analysis: the broad bands are below 250, 250-2000, 2000-8000 and above 8000 Hz up to the top") {
  const auto bands = analysis::broadBands(22050.0);
  REQUIRE(bands.size() == 4);
  CHECK(bands[0].lowHz == 0.0);
  CHECK(bands[0].highHz == 250.0);
  CHECK(bands[1].highHz == 2000.0);
  CHECK(bands[2].highHz == 8000.0);
  CHECK(bands[3].lowHz == 8000.0);
  CHECK(bands[3].highHz == 22050.0);
  CHECK(analysis::broadBands(4000.0).size() == 3);
}

}  // namespace mixdown::test
