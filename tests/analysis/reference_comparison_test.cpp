// The reference comparison (analysis/reference_comparison.h) against known
// answers: a file against itself differs by nothing; noise through a +6 dB
// RBJ high shelf differs, band by band, by the shelf's power response
// (computed here from the cookbook's coefficients with complex arithmetic)
// less the loudness offset, which matches libebur128's readings; the mean of
// two references sits halfway between them; PLR is true peak minus loudness.

#include "mixdown/analysis/reference_comparison.h"

#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <numbers>

#include "mixdown/dsp/biquad.h"
#include "support/cli_fixtures.h"
#include "support/ebur128_reading.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 48000;

analysis::MixProfile profileOf(const std::filesystem::path& path) {
  return analysis::profileOfFile(path, analysis::thirdOctaveBands(kRate / 2.0), analysis::broadBands(kRate / 2.0));
}

/** |H(e^{j w})|^2 of a biquad, from its coefficients. */
double powerResponse(const dsp::BiquadCoefficients& c, double frequencyHz) {
  const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * frequencyHz / kRate);
  const std::complex<double> z2 = z1 * z1;
  const std::complex<double> h = (c.b0 + c.b1 * z1 + c.b2 * z2) / (1.0 + c.a1 * z1 + c.a2 * z2);
  return std::norm(h);
}

/** The band's mean power response over the analysis' bins (white noise has equal power in each). */
double bandResponseDb(const dsp::BiquadCoefficients& c, const analysis::FrequencyBand& band) {
  const double binHz = static_cast<double>(kRate) / 4096.0;
  double sum = 0.0;
  int bins = 0;
  for (int k = 0; k <= 2048; ++k) {
    const double f = k * binHz;
    if (f < band.lowHz || f >= band.highHz) continue;
    sum += powerResponse(c, f);
    ++bins;
  }
  return 10.0 * std::log10(sum / bins);
}

/** Filters each channel by the biquad c (a straight transposed direct form II, in double). */
PlanarSamples filtered(const PlanarSamples& input, const dsp::BiquadCoefficients& c) {
  PlanarSamples output = input;
  for (auto& channel : output) {
    double s1 = 0.0, s2 = 0.0;
    for (float& sample : channel) {
      const double x = sample;
      const double y = c.b0 * x + s1;
      s1 = c.b1 * x - c.a1 * y + s2;
      s2 = c.b2 * x - c.a2 * y;
      sample = static_cast<float>(y);
    }
  }
  return output;
}

}  // namespace

TEST_CASE("analysis: a mix against itself differs by 0 in every band and in loudness") {
  TempDir folder;
  writeWav(folder.file("mix.wav"), noiseChannels(6 * kRate, 2, 0.3, 11), kRate, SampleFormat::Float32);
  const analysis::MixProfile mix = profileOf(folder.file("mix.wav"));
  const analysis::ReferenceComparison comparison = analysis::compareWithTarget(mix, analysis::targetOf({mix}));
  CHECK(comparison.loudnessOffsetLu == 0.0);
  REQUIRE(comparison.thirdOctaves.size() == mix.thirdOctaves.size());
  REQUIRE(comparison.broadBands.size() == 4);
  for (const auto* bands : {&comparison.thirdOctaves, &comparison.broadBands})
    for (const analysis::BandComparison& band : *bands) {
      CAPTURE(band.band.lowHz);
      if (!band.midDiffDb) continue;  // a band narrower than a bin
      CHECK(std::abs(*band.midDiffDb) < 1e-9);
      CHECK(std::abs(*band.sideDiffDb) < 1e-9);
      CHECK(std::abs(*band.widthDiffDb) < 1e-9);
      CHECK(std::abs(*band.midP50DiffDb) < 1e-9);
    }
  CHECK(*comparison.mixGlobals.plrDb == doctest::Approx(*mix.loudness.truePeakDbtp - *mix.loudness.integratedLufs));
}

TEST_CASE("analysis: noise through a +6 dB high shelf reads the shelf's response in every band, loudness-matched") {
  TempDir folder;
  const PlanarSamples noise = noiseChannels(10 * kRate, 2, 0.3, 5);
  const dsp::BiquadCoefficients shelf = dsp::designRbj(dsp::BiquadShape::HighShelf, 2000.0, std::numbers::sqrt2 / 2.0, 6.0, kRate);
  writeWav(folder.file("reference.wav"), noise, kRate, SampleFormat::Float32);
  writeWav(folder.file("bright.wav"), filtered(noise, shelf), kRate, SampleFormat::Float32);

  const analysis::MixProfile reference = profileOf(folder.file("reference.wav"));
  const analysis::MixProfile bright = profileOf(folder.file("bright.wav"));
  const analysis::ReferenceComparison comparison = analysis::compareWithTarget(bright, analysis::targetOf({reference}));

  // The loudness offset against libebur128's reading of both files.
  const auto ebuReference = readWithEbur128(readSoundFile(folder.file("reference.wav")));
  const auto ebuBright = readWithEbur128(readSoundFile(folder.file("bright.wav")));
  CHECK(std::abs(*bright.loudness.integratedLufs - *ebuBright.integratedLufs) < 0.1);
  CHECK(std::abs(comparison.loudnessOffsetLu - (*ebuBright.integratedLufs - *ebuReference.integratedLufs)) < 0.1);
  CHECK(comparison.loudnessOffsetLu > 1.0);  // the shelf made it louder

  int checked = 0;
  for (const auto* bands : {&comparison.thirdOctaves, &comparison.broadBands})
    for (const analysis::BandComparison& band : *bands) {
      if (!band.midDiffDb) continue;
      CAPTURE(band.band.lowHz);
      CAPTURE(band.band.highHz);
      const double expected = bandResponseDb(shelf, band.band) - comparison.loudnessOffsetLu;
      CHECK(std::abs(*band.midDiffDb - expected) < 0.5);
      CHECK(std::abs(*band.sideDiffDb - expected) < 0.5);
      CHECK(std::abs(*band.widthDiffDb) < 0.5);
      ++checked;
    }
  CHECK(checked >= 30);
}

TEST_CASE("analysis: against the mean of two references, a mix sits halfway between its differences from each") {
  TempDir folder;
  const PlanarSamples noise = noiseChannels(8 * kRate, 2, 0.2, 3);
  const dsp::BiquadCoefficients dark = dsp::designRbj(dsp::BiquadShape::HighShelf, 3000.0, 0.7, -8.0, kRate);
  const dsp::BiquadCoefficients boomy = dsp::designRbj(dsp::BiquadShape::LowShelf, 150.0, 0.7, 5.0, kRate);
  writeWav(folder.file("mix.wav"), noise, kRate, SampleFormat::Float32);
  writeWav(folder.file("a.wav"), filtered(noise, dark), kRate, SampleFormat::Float32);
  writeWav(folder.file("b.wav"), filtered(noiseChannels(8 * kRate, 2, 0.4, 9), boomy), kRate, SampleFormat::Float32);
  const analysis::MixProfile mix = profileOf(folder.file("mix.wav"));
  const analysis::MixProfile a = profileOf(folder.file("a.wav"));
  const analysis::MixProfile b = profileOf(folder.file("b.wav"));
  const auto againstA = analysis::compareWithTarget(mix, analysis::targetOf({a}));
  const auto againstB = analysis::compareWithTarget(mix, analysis::targetOf({b}));
  const auto againstBoth = analysis::compareWithTarget(mix, analysis::targetOf({a, b}));
  CHECK(againstBoth.loudnessOffsetLu == doctest::Approx((againstA.loudnessOffsetLu + againstB.loudnessOffsetLu) / 2.0));
  for (size_t i = 0; i < againstBoth.broadBands.size(); ++i) {
    CAPTURE(i);
    CHECK(*againstBoth.broadBands[i].midDiffDb ==
          doctest::Approx((*againstA.broadBands[i].midDiffDb + *againstB.broadBands[i].midDiffDb) / 2.0));
    CHECK(*againstBoth.broadBands[i].crestDiffDb ==
          doctest::Approx((*againstA.broadBands[i].crestDiffDb + *againstB.broadBands[i].crestDiffDb) / 2.0));
  }
  CHECK(*againstBoth.targetGlobals.truePeakDbtp == doctest::Approx((*a.loudness.truePeakDbtp + *b.loudness.truePeakDbtp) / 2.0));
}

TEST_CASE("analysis: a silent mix or reference cannot be loudness-matched") {
  TempDir folder;
  writeWav(folder.file("silence.wav"), {std::vector<float>(kRate * 2, 0.0f)}, kRate, SampleFormat::Float32);
  writeWav(folder.file("noise.wav"), noiseChannels(2 * kRate, 1, 0.3, 1), kRate, SampleFormat::Float32);
  const analysis::MixProfile silence = profileOf(folder.file("silence.wav"));
  const analysis::MixProfile noise = profileOf(folder.file("noise.wav"));
  CHECK_THROWS_WITH_AS(analysis::targetOf({silence}), doctest::Contains("silence.wav"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(analysis::compareWithTarget(silence, analysis::targetOf({noise})), doctest::Contains("silence.wav"),
                       std::invalid_argument);
}

}  // namespace mixdown::test
