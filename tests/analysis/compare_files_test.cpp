// compareAudioFiles: the residual b - a of two files read in lockstep blocks,
// checked against figures computed here from the samples written: one step of
// 24-bit PCM is 2^-23 (-138.47 dBFS), a gain g moves the loudness by 20 log10 g,
// a mono signal copied to two channels reads 10 log10 2 = 3.01 LU louder.

#include "mixdown/analysis/compare_files.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "mixdown/util/error.h"
#include "support/cli_fixtures.h"
#include "support/integer_pcm.h"
#include "support/temp_dir.h"

using namespace mixdown;
using namespace mixdown::analysis;
using namespace mixdown::test;

namespace {

constexpr int kRate = 48000;
constexpr int kChannels = 2;
// Twelve whole read blocks and part of another: 1.04 s, long enough for integrated loudness.
constexpr std::int64_t kFrames = 12 * kCompareBlockFrames + 1000;
constexpr std::int32_t kHalfScaleCode24 = 1 << 22;
const double kOneStep24 = std::ldexp(1.0, -23);  // one 24-bit code as float: 2^-23

std::size_t indexOf(std::int64_t frame, int channel) { return static_cast<std::size_t>(frame * kChannels + channel); }

}  // namespace

TEST_CASE("compare files: a 24-bit file against a copy of itself is identical") {
  TempDir folder;
  const auto codes = noiseCodes(kFrames, kChannels, kHalfScaleCode24, 11);
  writeIntegerCodes(folder.file("a.wav"), codes, kChannels, kRate, 24);
  writeIntegerCodes(folder.file("b.wav"), codes, kChannels, kRate, 24);

  const AudioComparison comparison = compareAudioFiles(folder.file("a.wav"), folder.file("b.wav"));
  CHECK(comparison.a == AudioShape{kChannels, kRate, kFrames});
  CHECK(comparison.b == comparison.a);
  CHECK(comparison.identical());
  CHECK(comparison.comparedFrames == kFrames);
  CHECK_FALSE(comparison.firstDiffFrame.has_value());
  CHECK(comparison.maxAbsDiff == 0.0);
  CHECK(comparison.residualRms == 0.0);
  CHECK_FALSE(comparison.maxAbsDiffDbfs().has_value());
  CHECK_FALSE(comparison.residualRmsDbfs().has_value());
  REQUIRE(comparison.loudnessDiffLu().has_value());
  CHECK(*comparison.loudnessDiffLu() == 0.0);
  CHECK(comparison.lengthDiffFrames() == 0);
  CHECK(comparison.withinThreshold(-std::numeric_limits<double>::infinity()));
}

TEST_CASE("compare files: one-step changes in 24-bit PCM give the first frame, a -138.47 dBFS peak and the RMS") {
  TempDir folder;
  auto codes = noiseCodes(kFrames, kChannels, kHalfScaleCode24, 12);
  writeIntegerCodes(folder.file("a.wav"), codes, kChannels, kRate, 24);
  // The first change is in the third block (frames 8192 ..), in the second channel; a
  // later frame of the first channel in the same block, and one in the last block.
  constexpr std::int64_t kFirstChangedFrame = 9000;
  codes[indexOf(kFirstChangedFrame, 1)] += 1;
  codes[indexOf(kFirstChangedFrame + 3, 0)] -= 1;
  codes[indexOf(kFrames - 5, 0)] += 1;
  writeIntegerCodes(folder.file("b.wav"), codes, kChannels, kRate, 24);

  const AudioComparison comparison = compareAudioFiles(folder.file("a.wav"), folder.file("b.wav"));
  CHECK(comparison.sameShape());
  CHECK_FALSE(comparison.identical());
  REQUIRE(comparison.firstDiffFrame.has_value());
  CHECK(*comparison.firstDiffFrame == kFirstChangedFrame);
  CHECK(comparison.maxAbsDiff == kOneStep24);  // exact: both decode to multiples of 2^-23
  REQUIRE(comparison.maxAbsDiffDbfs().has_value());
  CHECK(*comparison.maxAbsDiffDbfs() == doctest::Approx(-23.0 * 20.0 * std::log10(2.0)).epsilon(1e-12));
  CHECK(*comparison.maxAbsDiffDbfs() == doctest::Approx(-138.4738).epsilon(1e-6));
  // Three samples of 2^-23 among every sample of both channels.
  const double expectedRms = kOneStep24 * std::sqrt(3.0 / static_cast<double>(kFrames * kChannels));
  CHECK(comparison.residualRms == doctest::Approx(expectedRms).epsilon(1e-12));
  // The default threshold (-120 dBFS) admits a one-step change; a threshold below -138.47 does not.
  CHECK(comparison.withinThreshold(kDefaultDiffThresholdDb));
  CHECK(comparison.withinThreshold(-138.4));
  CHECK_FALSE(comparison.withinThreshold(-138.5));
  CHECK_FALSE(comparison.withinThreshold(-140.0));
  REQUIRE(comparison.loudnessDiffLu().has_value());
  CHECK(std::abs(*comparison.loudnessDiffLu()) < 1e-4);
}

TEST_CASE("compare files: a gain of -6 dB gives the residual measured here and -6 LU") {
  TempDir folder;
  const PlanarSamples a = noiseChannels(kRate, kChannels, 0.5, 13);  // 1 s: long enough for integrated loudness
  const double gain = std::pow(10.0, -6.0 / 20.0);
  PlanarSamples b = a;
  double maxAbsDiff = 0.0;
  double sumOfSquares = 0.0;
  for (std::size_t channel = 0; channel < b.size(); ++channel) {
    for (std::size_t frame = 0; frame < b[channel].size(); ++frame) {
      b[channel][frame] = static_cast<float>(gain * a[channel][frame]);
      const double difference = static_cast<double>(b[channel][frame]) - static_cast<double>(a[channel][frame]);
      maxAbsDiff = std::max(maxAbsDiff, std::abs(difference));
      sumOfSquares += difference * difference;
    }
  }
  writeWav(folder.file("a.wav"), a, kRate, SampleFormat::Float32);
  writeWav(folder.file("b.wav"), b, kRate, SampleFormat::Float32);

  const AudioComparison comparison = compareAudioFiles(folder.file("a.wav"), folder.file("b.wav"));
  CHECK(comparison.maxAbsDiff == doctest::Approx(maxAbsDiff).epsilon(1e-12));
  CHECK(comparison.residualRms ==
        doctest::Approx(std::sqrt(sumOfSquares / static_cast<double>(kRate * kChannels))).epsilon(1e-9));
  REQUIRE(comparison.firstDiffFrame.has_value());
  CHECK(*comparison.firstDiffFrame == 0);
  REQUIRE(comparison.loudnessDiffLu().has_value());
  CHECK(*comparison.loudnessDiffLu() == doctest::Approx(-6.0).epsilon(1e-4));
  // The threshold is the residual's peak level, inclusive.
  const double peakDbfs = 20.0 * std::log10(maxAbsDiff);
  CHECK(comparison.withinThreshold(peakDbfs + 0.01));
  CHECK_FALSE(comparison.withinThreshold(peakDbfs - 0.01));
}

TEST_CASE("compare files: different lengths always differ, the common frames compared") {
  TempDir folder;
  const PlanarSamples a = noiseChannels(kFrames, kChannels, 0.5, 14);
  PlanarSamples longer = a;
  for (auto& channel : longer) channel.push_back(0.0f);
  writeWav(folder.file("a.wav"), a, kRate, SampleFormat::Float32);
  writeWav(folder.file("longer.wav"), longer, kRate, SampleFormat::Float32);

  const AudioComparison comparison = compareAudioFiles(folder.file("a.wav"), folder.file("longer.wav"));
  CHECK_FALSE(comparison.sameShape());
  CHECK_FALSE(comparison.identical());
  CHECK(comparison.lengthDiffFrames() == 1);
  CHECK(comparison.residualMeasured());
  CHECK(comparison.comparedFrames == kFrames);
  CHECK_FALSE(comparison.firstDiffFrame.has_value());
  CHECK(comparison.maxAbsDiff == 0.0);
  CHECK_FALSE(comparison.withinThreshold(100.0));

  const AudioComparison reversed = compareAudioFiles(folder.file("longer.wav"), folder.file("a.wav"));
  CHECK(reversed.lengthDiffFrames() == -1);
  CHECK_FALSE(reversed.withinThreshold(100.0));
}

TEST_CASE("compare files: a mono file against its copy on two channels differs, +3.01 LU, no residual") {
  TempDir folder;
  const PlanarSamples mono = sineChannels(1000.0, kRate, kRate, 1, 0.1);
  writeWav(folder.file("mono.wav"), mono, kRate, SampleFormat::Float32);
  writeWav(folder.file("stereo.wav"), PlanarSamples{mono[0], mono[0]}, kRate, SampleFormat::Float32);

  const AudioComparison comparison = compareAudioFiles(folder.file("mono.wav"), folder.file("stereo.wav"));
  CHECK_FALSE(comparison.sameShape());
  CHECK_FALSE(comparison.residualMeasured());
  CHECK(comparison.comparedFrames == 0);
  CHECK(comparison.lengthDiffFrames() == 0);
  CHECK_FALSE(comparison.firstDiffFrame.has_value());
  CHECK_FALSE(comparison.maxAbsDiffDbfs().has_value());
  CHECK_FALSE(comparison.residualRmsDbfs().has_value());
  CHECK_FALSE(comparison.withinThreshold(100.0));
  // BS.1770-4: two loudspeakers of weight 1 carry twice the power of one.
  REQUIRE(comparison.loudnessDiffLu().has_value());
  CHECK(*comparison.loudnessDiffLu() == doctest::Approx(10.0 * std::log10(2.0)).epsilon(1e-4));
}

TEST_CASE("compare files: the same samples at another sample rate differ, no residual") {
  TempDir folder;
  const PlanarSamples samples = noiseChannels(kFrames, kChannels, 0.5, 15);
  writeWav(folder.file("a.wav"), samples, 48000, SampleFormat::Float32);
  writeWav(folder.file("b.wav"), samples, 44100, SampleFormat::Float32);

  const AudioComparison comparison = compareAudioFiles(folder.file("a.wav"), folder.file("b.wav"));
  CHECK(comparison.b.sampleRateHz == 44100);
  CHECK_FALSE(comparison.sameShape());
  CHECK_FALSE(comparison.residualMeasured());
  CHECK_FALSE(comparison.maxAbsDiffDbfs().has_value());
  CHECK_FALSE(comparison.withinThreshold(100.0));
}

TEST_CASE("compare files: -0 against +0 is a bit difference of zero size, NaN one beyond any threshold") {
  TempDir folder;
  PlanarSamples a(1, std::vector<float>(100, 0.0f));
  PlanarSamples signedZero = a;
  signedZero[0][5] = -0.0f;
  PlanarSamples notANumber = a;
  notANumber[0][7] = std::numeric_limits<float>::quiet_NaN();
  writeWav(folder.file("a.wav"), a, kRate, SampleFormat::Float32);
  writeWav(folder.file("signed_zero.wav"), signedZero, kRate, SampleFormat::Float32);
  writeWav(folder.file("nan.wav"), notANumber, kRate, SampleFormat::Float32);

  const AudioComparison zero = compareAudioFiles(folder.file("a.wav"), folder.file("signed_zero.wav"));
  CHECK_FALSE(zero.identical());
  REQUIRE(zero.firstDiffFrame.has_value());
  CHECK(*zero.firstDiffFrame == 5);
  CHECK(zero.maxAbsDiff == 0.0);
  CHECK_FALSE(zero.maxAbsDiffDbfs().has_value());
  CHECK(zero.withinThreshold(-std::numeric_limits<double>::infinity()));
  CHECK_FALSE(zero.loudnessDiffLu().has_value());  // silence has no loudness

  const AudioComparison nan = compareAudioFiles(folder.file("a.wav"), folder.file("nan.wav"));
  REQUIRE(nan.firstDiffFrame.has_value());
  CHECK(*nan.firstDiffFrame == 7);
  CHECK(std::isinf(nan.maxAbsDiff));
  CHECK(std::isnan(nan.residualRms));
  CHECK_FALSE(nan.maxAbsDiffDbfs().has_value());
  CHECK_FALSE(nan.residualRmsDbfs().has_value());
  CHECK_FALSE(nan.withinThreshold(1000.0));
}

TEST_CASE("compare files: unreadable files throw IoError naming the file") {
  TempDir folder;
  makeBadSessionFixtures(folder.path());
  const auto message = [&](const std::string& first, const std::string& second) {
    try {
      compareAudioFiles(folder.file(first), folder.file(second));
    } catch (const IoError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  CHECK(message("audio/missing.wav", "audio/sine.wav").find("missing.wav\": no such file") != std::string::npos);
  CHECK(message("audio/sine.wav", "audio/not_audio.wav").find("not_audio.wav\": not a readable audio file") !=
        std::string::npos);
  CHECK(message("audio/truncated.wav", "audio/sine.wav").find("truncated.wav\" is truncated") != std::string::npos);
  CHECK(message("audio/sine.wav", "audio/empty.wav").find("holds no audio frames") != std::string::npos);
  CHECK(message("audio/sine.wav", "read_only").find("read_only\": is a directory") != std::string::npos);
}
