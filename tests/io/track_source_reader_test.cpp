// TrackSourceReader: clip placement, offsets, durations, gain, fades, channel
// selection, resampling and block independence. Expected samples come from the
// fixture's own formula (values exactly representable in float where the check
// is exact); resampling is judged by a least-squares sine fit.

#include <doctest/doctest.h>
#include <sndfile.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "mixdown/io/track_source_reader.h"
#include "mixdown/util/error.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"
#include "support/test_signals.h"

using mixdown::AudioBuffer;
using mixdown::io::ClipReadSpec;
using mixdown::io::TrackSourceReader;
using mixdown::test::PlanarSamples;
using mixdown::test::TempDir;

namespace {

constexpr int kFloatWav = SF_FORMAT_WAV | SF_FORMAT_FLOAT;

/** Channel c, frame k holds (c + 1) * 256 + (k + 1) / 128: exact in float, distinct per channel. */
PlanarSamples rampChannels(int channels, std::size_t frames) {
  PlanarSamples samples(static_cast<std::size_t>(channels), std::vector<float>(frames));
  for (std::size_t c = 0; c < samples.size(); ++c) {
    for (std::size_t k = 0; k < frames; ++k) {
      samples[c][k] = static_cast<float>((c + 1) * 256) + static_cast<float>(k + 1) / 128.0f;
    }
  }
  return samples;
}

ClipReadSpec clipOf(const std::filesystem::path& file, std::int64_t atFrame = 0) {
  ClipReadSpec clip;
  clip.file = file;
  clip.atFrame = atFrame;
  return clip;
}

/** Reads frames [0, totalFrames) with block sizes from blockSizes (cycled). */
PlanarSamples readInBlocks(TrackSourceReader& reader, std::int64_t totalFrames, const std::vector<int>& blockSizes) {
  PlanarSamples result(static_cast<std::size_t>(reader.channels()), std::vector<float>(static_cast<std::size_t>(totalFrames)));
  int largest = *std::max_element(blockSizes.begin(), blockSizes.end());
  AudioBuffer buffer(reader.channels(), largest);
  std::int64_t position = 0;
  for (std::size_t i = 0; position < totalFrames; ++i) {
    const int frames = static_cast<int>(std::min<std::int64_t>(blockSizes[i % blockSizes.size()], totalFrames - position));
    const auto block = buffer.block(frames);
    reader.read(position, block);
    for (int c = 0; c < reader.channels(); ++c) {
      std::copy(block.channel(c), block.channel(c) + frames,
                result[static_cast<std::size_t>(c)].begin() + static_cast<std::ptrdiff_t>(position));
    }
    position += frames;
  }
  return result;
}

PlanarSamples readAll(TrackSourceReader& reader, std::int64_t totalFrames) {
  return readInBlocks(reader, totalFrames, {static_cast<int>(totalFrames)});
}

/** Whether this process holds a descriptor open on path (Linux /proc). */
bool isOpenInThisProcess(const std::filesystem::path& path) {
  const auto wanted = std::filesystem::weakly_canonical(path);
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    const auto target = std::filesystem::read_symlink(entry.path(), error);
    if (!error && target == wanted) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("io: a clip plays at its frame with its gain, silence around it") {
  TempDir dir;
  const auto file = dir.file("ramp.wav");
  const PlanarSamples source = rampChannels(1, 64);
  mixdown::test::writeSoundFile(file, source, 8000, kFloatWav);
  ClipReadSpec clip = clipOf(file, 10);
  clip.gain = 0.5f;
  TrackSourceReader reader({clip}, 8000, 1, 32);
  CHECK(reader.endFrame() == 74);
  CHECK(reader.channels() == 1);
  const PlanarSamples out = readAll(reader, 100);
  for (std::size_t n = 0; n < 100; ++n) {
    CAPTURE(n);
    const float expected = (n >= 10 && n < 74) ? source[0][n - 10] * 0.5f : 0.0f;
    CHECK(out[0][n] == expected);
  }
}

TEST_CASE("io: fromS and durationS choose the part of the source that plays") {
  TempDir dir;
  const auto file = dir.file("ramp.wav");
  const PlanarSamples source = rampChannels(1, 64);
  mixdown::test::writeSoundFile(file, source, 8000, kFloatWav);

  ClipReadSpec clip = clipOf(file, 5);
  clip.fromS = 16.0 / 8000.0;
  clip.durationS = 20.0 / 8000.0;
  TrackSourceReader reader({clip}, 8000, 1, 1024);
  CHECK(reader.endFrame() == 25);
  const PlanarSamples out = readAll(reader, 40);
  for (std::size_t n = 0; n < 40; ++n) {
    CAPTURE(n);
    CHECK(out[0][n] == ((n >= 5 && n < 25) ? source[0][16 + n - 5] : 0.0f));
  }

  SUBCASE("a duration past the end of the file stops at the end") {
    clip.durationS = 1.0;
    TrackSourceReader toEnd({clip}, 8000, 1, 1024);
    CHECK(toEnd.endFrame() == 5 + 48);
  }
}

TEST_CASE("io: fades are linear in session time at the clip's ends") {
  TempDir dir;
  const auto file = dir.file("ones.wav");
  mixdown::test::writeSoundFile(file, {std::vector<float>(64, 1.0f)}, 8000, kFloatWav);
  ClipReadSpec clip = clipOf(file, 3);
  clip.gain = 0.25f;
  clip.fadeInS = 8.0 / 8000.0;    // 8 frames
  clip.fadeOutS = 16.0 / 8000.0;  // 16 frames
  TrackSourceReader reader({clip}, 8000, 1, 1024);
  const PlanarSamples out = readAll(reader, 70);
  // g(k) = gain * min(1, k / 8) * min(1, (64 - k) / 16): 0 at the first frame, 1/16 at the last.
  for (std::size_t k = 0; k < 64; ++k) {
    CAPTURE(k);
    const double fadeIn = std::min(1.0, static_cast<double>(k) / 8.0);
    const double fadeOut = std::min(1.0, (64.0 - static_cast<double>(k)) / 16.0);
    CHECK(out[0][3 + k] == static_cast<float>(0.25 * fadeIn * fadeOut));
  }
  CHECK(out[0][2] == 0.0f);
  CHECK(out[0][67] == 0.0f);
}

TEST_CASE("io: channel selection keeps the chosen source channels in order") {
  TempDir dir;
  const auto file = dir.file("three.wav");
  const PlanarSamples source = rampChannels(3, 32);
  mixdown::test::writeSoundFile(file, source, 8000, kFloatWav);

  SUBCASE("two of three, swapped") {
    ClipReadSpec clip = clipOf(file);
    clip.channels = {2, 0};
    TrackSourceReader reader({clip}, 8000, 2, 1024);
    const PlanarSamples out = readAll(reader, 32);
    CHECK(out[0] == source[2]);
    CHECK(out[1] == source[0]);
  }
  SUBCASE("one channel on a mono track") {
    ClipReadSpec clip = clipOf(file);
    clip.channels = {1};
    TrackSourceReader reader({clip}, 8000, 1, 1024);
    CHECK(readAll(reader, 32)[0] == source[1]);
  }
  SUBCASE("one channel on a stereo track is copied to both") {
    ClipReadSpec clip = clipOf(file);
    clip.channels = {1};
    TrackSourceReader reader({clip}, 8000, 2, 1024);
    const PlanarSamples out = readAll(reader, 32);
    CHECK(out[0] == source[1]);
    CHECK(out[1] == source[1]);
  }
  SUBCASE("more than two channels without a selection is an error") {
    CHECK_THROWS_AS(TrackSourceReader({clipOf(file)}, 8000, 2, 1024), mixdown::IoError);
  }
  SUBCASE("a channel index the file does not have is an error") {
    ClipReadSpec clip = clipOf(file);
    clip.channels = {3};
    CHECK_THROWS_AS(TrackSourceReader({clip}, 8000, 2, 1024), mixdown::IoError);
  }
}

TEST_CASE("io: a mono clip on a stereo track plays in both channels") {
  TempDir dir;
  const auto file = dir.file("mono.wav");
  const PlanarSamples source = rampChannels(1, 50);
  mixdown::test::writeSoundFile(file, source, 8000, kFloatWav);
  TrackSourceReader reader({clipOf(file)}, 8000, 2, 1024);
  const PlanarSamples out = readAll(reader, 50);
  CHECK(out[0] == source[0]);
  CHECK(out[1] == source[0]);
}

TEST_CASE("io: a stereo clip on a mono track plays the average of its channels") {
  TempDir dir;
  const auto file = dir.file("stereo.wav");
  const PlanarSamples source = rampChannels(2, 50);
  mixdown::test::writeSoundFile(file, source, 8000, kFloatWav);
  TrackSourceReader reader({clipOf(file)}, 8000, 1, 1024);
  const PlanarSamples out = readAll(reader, 50);
  for (std::size_t k = 0; k < 50; ++k) {
    CHECK(out[0][k] == static_cast<float>(0.5 * (static_cast<double>(source[0][k]) + source[1][k])));
  }
}

TEST_CASE("io: clips play in order and each file is open only while its clip plays") {
  TempDir dir;
  const auto first = dir.file("first.wav");
  const auto second = dir.file("second.wav");
  const PlanarSamples firstSource = rampChannels(1, 40);
  const PlanarSamples secondSource = rampChannels(2, 30);
  mixdown::test::writeSoundFile(first, firstSource, 8000, kFloatWav);
  mixdown::test::writeSoundFile(second, secondSource, 8000, kFloatWav);
  // Given out of order: the reader sorts by start.
  TrackSourceReader reader({clipOf(second, 100), clipOf(first, 20)}, 8000, 2, 16);
  CHECK(reader.endFrame() == 130);
  CHECK_FALSE(isOpenInThisProcess(first));
  CHECK_FALSE(isOpenInThisProcess(second));

  AudioBuffer buffer(2, 10);
  PlanarSamples out(2, std::vector<float>(140));
  for (std::int64_t position = 0; position < 140; position += 10) {
    const auto block = buffer.block(10);
    reader.read(position, block);
    for (int c = 0; c < 2; ++c) {
      std::copy(block.channel(c), block.channel(c) + 10, out[static_cast<std::size_t>(c)].begin() + position);
    }
    const std::int64_t end = position + 10;
    CAPTURE(position);
    CHECK(isOpenInThisProcess(first) == (end > 20 && end < 60));
    CHECK(isOpenInThisProcess(second) == (end > 100 && end < 130));
  }
  for (std::size_t n = 0; n < 140; ++n) {
    CAPTURE(n);
    const float left = (n >= 20 && n < 60) ? firstSource[0][n - 20] : (n >= 100 && n < 130) ? secondSource[0][n - 100] : 0.0f;
    const float right = (n >= 20 && n < 60) ? firstSource[0][n - 20] : (n >= 100 && n < 130) ? secondSource[1][n - 100] : 0.0f;
    CHECK(out[0][n] == left);
    CHECK(out[1][n] == right);
  }
}

TEST_CASE("io: overlapping clips are refused") {
  TempDir dir;
  const auto file = dir.file("ramp.wav");
  mixdown::test::writeSoundFile(file, rampChannels(1, 64), 8000, kFloatWav);
  CHECK_THROWS_AS(TrackSourceReader({clipOf(file, 0), clipOf(file, 63)}, 8000, 1, 64), std::invalid_argument);
  CHECK_NOTHROW(TrackSourceReader({clipOf(file, 0), clipOf(file, 64)}, 8000, 1, 64));
}

TEST_CASE("io: clipFrames counts the session frames a clip lasts") {
  ClipReadSpec clip;
  CHECK(TrackSourceReader::clipFrames(clip, 1000, 1000, 1000) == 1000);
  clip.fromS = 0.5;
  CHECK(TrackSourceReader::clipFrames(clip, 1000, 1000, 1000) == 500);
  clip.durationS = 0.2;
  CHECK(TrackSourceReader::clipFrames(clip, 1000, 1000, 1000) == 200);
  clip.durationS = 2.0;
  CHECK(TrackSourceReader::clipFrames(clip, 1000, 1000, 1000) == 500);
  clip.fromS = 2.0;
  CHECK(TrackSourceReader::clipFrames(clip, 1000, 1000, 1000) == 0);

  // Resampled: rest of the file times sessionRate / sourceRate, rounded to nearest.
  ClipReadSpec whole;
  CHECK(TrackSourceReader::clipFrames(whole, 44100, 44100, 48000) == 48000);
  CHECK(TrackSourceReader::clipFrames(whole, 1000, 44100, 48000) == 1088);  // 1088.435
  CHECK(TrackSourceReader::clipFrames(whole, 1001, 44100, 48000) == 1090);  // 1089.524
  CHECK(TrackSourceReader::clipFrames(whole, 1000, 48000, 44100) == 919);   // 918.75
  whole.durationS = 0.5;
  CHECK(TrackSourceReader::clipFrames(whole, 44100, 44100, 48000) == 24000);
}

TEST_CASE("io: a 1 kHz sine at 44.1 kHz resampled to 48 kHz keeps its frequency, level and phase") {
  TempDir dir;
  const auto file = dir.file("sine44k.wav");
  constexpr double kAmplitude = 0.5;
  constexpr double kPhase = 0.3;
  mixdown::test::writeSoundFile(file, {mixdown::test::makeSine(1000.0, 44100.0, 88200, kAmplitude, kPhase)}, 44100,
                                kFloatWav);
  TrackSourceReader reader({clipOf(file)}, 48000, 1, 1024);
  REQUIRE(reader.endFrame() == 96000);
  const PlanarSamples out = readAll(reader, 96000);

  // Away from the file's edges (0.1 s): the resampler's transients at the cut ends are not the point.
  const auto fit = mixdown::test::fitSine(out[0], 4800, 96000 - 2 * 4800, 1000.0, 48000.0);
  CHECK(std::abs(mixdown::test::amplitudeToDb(fit.amplitude / kAmplitude)) < 0.05);
  CHECK(fit.residualDbfs() < -100.0);
  // Time-aligned: one output frame of delay would shift the phase by 2 pi 1000 / 48000 = 0.13 rad.
  CHECK(std::abs(mixdown::test::angleDifference(fit.phaseRad, kPhase)) < 1e-3);
  // The frequency is 1 kHz: the phase holds from the first half to the second.
  const auto early = mixdown::test::fitSine(out[0], 4800, 40000, 1000.0, 48000.0);
  const auto late = mixdown::test::fitSine(out[0], 50000, 40000, 1000.0, 48000.0);
  CHECK(std::abs(mixdown::test::angleDifference(early.phaseRad, late.phaseRad)) < 1e-4);
}

TEST_CASE("io: a resampled clip that starts inside its file stays aligned with the source") {
  TempDir dir;
  const auto file = dir.file("sine44k.wav");
  constexpr double kPhase = 0.3;
  mixdown::test::writeSoundFile(file, {mixdown::test::makeSine(1000.0, 44100.0, 88200, 0.5, kPhase)}, 44100, kFloatWav);
  ClipReadSpec clip = clipOf(file, 480);
  clip.fromS = 0.25;
  clip.durationS = 1.0;
  TrackSourceReader reader({clip}, 48000, 2, 1024);
  REQUIRE(reader.endFrame() == 480 + 48000);
  const PlanarSamples out = readAll(reader, 480 + 48000);
  // Session frame n plays source time 0.25 + (n - 480) / 48000.
  const double expectedPhase = kPhase + 2.0 * std::numbers::pi * 1000.0 * (0.25 - 480.0 / 48000.0);
  for (std::size_t c = 0; c < 2; ++c) {
    CAPTURE(c);
    // From the clip's very first frame: the source before fromS primes the resampler.
    const auto start = mixdown::test::fitSine(out[c], 480, 2000, 1000.0, 48000.0);
    CHECK(start.residualDbfs() < -100.0);
    CHECK(std::abs(mixdown::test::angleDifference(start.phaseRad, expectedPhase)) < 1e-3);
    CHECK(std::abs(mixdown::test::amplitudeToDb(start.amplitude / 0.5)) < 0.05);
    // Up to the clip's last frame: the source after its end is still there to read.
    const auto end = mixdown::test::fitSine(out[c], 480 + 48000 - 2000, 2000, 1000.0, 48000.0);
    CHECK(end.residualDbfs() < -100.0);
    CHECK(std::abs(mixdown::test::angleDifference(end.phaseRad, expectedPhase)) < 1e-3);
  }
  for (std::size_t n = 0; n < 480; ++n) CHECK(out[0][n] == 0.0f);
}

TEST_CASE("io: reading in random block sizes gives the samples of one block") {
  TempDir dir;
  const auto local = dir.file("local.wav");
  const auto foreign = dir.file("foreign.flac");
  mixdown::test::writeSoundFile(local, {mixdown::test::makeSine(220.0, 48000.0, 20000, 0.5),
                                        mixdown::test::makeSine(330.0, 48000.0, 20000, 0.4)},
                                48000, kFloatWav);
  mixdown::test::writeSoundFile(foreign, {mixdown::test::makeSine(440.0, 44100.0, 30000, 0.5)}, 44100,
                                SF_FORMAT_FLAC | SF_FORMAT_PCM_24);
  ClipReadSpec first = clipOf(local, 100);
  first.fadeInS = 0.01;
  first.fadeOutS = 0.02;
  first.gain = 0.7f;
  first.fromS = 0.05;
  ClipReadSpec second = clipOf(foreign, 25000);
  second.fromS = 0.1;
  second.fadeInS = 0.003;
  second.fadeOutS = 0.1;
  const std::vector<ClipReadSpec> clips{first, second};

  TrackSourceReader whole(clips, 48000, 2, 4096);
  const std::int64_t total = whole.endFrame() + 500;
  const PlanarSamples reference = readInBlocks(whole, total, {static_cast<int>(total)});

  std::mt19937 generator(1234);
  std::uniform_int_distribution<int> size(1, 1500);  // the sizes' distribution only needs to vary, not repeat
  std::vector<int> sizes(400);
  for (int& value : sizes) value = size(generator);
  TrackSourceReader split(clips, 48000, 2, 512);
  const PlanarSamples pieces = readInBlocks(split, total, sizes);
  CHECK(pieces[0] == reference[0]);
  CHECK(pieces[1] == reference[1]);
}

TEST_CASE("io: a source that shrinks or changes its channels after the plan fails the read, naming the file") {
  struct Change {
    PlanarSamples replacement;
    std::string now;
  };
  const std::vector<Change> changes{{rampChannels(1, 500), "500 frames now"},
                                    {rampChannels(2, 1000), "2 channels now, 1 before"}};
  for (const Change& change : changes) {
    INFO(change.now);
    TempDir dir;
    const auto file = dir.file("changes.wav");
    mixdown::test::writeSoundFile(file, rampChannels(1, 1000), 8000, kFloatWav);
    TrackSourceReader reader({clipOf(file)}, 8000, 1, 256);
    mixdown::test::writeSoundFile(file, change.replacement, 8000, kFloatWav);
    AudioBuffer buffer(1, 256);
    const std::string expected =
        "cannot read \"" + file.string() + "\": the file has changed since it was checked (" + change.now + ")";
    CHECK_THROWS_WITH_AS(reader.read(0, buffer.block(256)), expected.c_str(), mixdown::IoError);
  }
}
