// readImpulseResponse: what it returns for mono and stereo files (written with
// libsndfile itself), and the messages for files it refuses.

#include <doctest/doctest.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "mixdown/io/impulse_response_file.h"
#include "mixdown/util/error.h"
#include "support/processor_harness.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"

using mixdown::IoError;
using mixdown::io::readImpulseResponse;
using mixdown::test::TempDir;

namespace {

std::string readError(const std::filesystem::path& path) {
  try {
    readImpulseResponse(path);
  } catch (const IoError& error) {
    return error.what();
  }
  return "(no error)";
}

std::string quoted(const std::filesystem::path& path) { return '"' + path.string() + '"'; }

}  // namespace

TEST_CASE("io: impulse response file reads stereo float samples exactly with their rate") {
  TempDir dir;
  const auto path = dir.file("hall.wav");
  const mixdown::test::PlanarSamples channels{mixdown::test::makeNoise(3001, 0.9, 1), mixdown::test::makeNoise(3001, 0.4, 2)};
  mixdown::test::writeSoundFile(path, channels, 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  const auto impulseResponse = readImpulseResponse(path);
  CHECK(impulseResponse.sampleRate == 44100);
  CHECK(impulseResponse.channels == channels);
}

TEST_CASE("io: impulse response file reads a mono 24-bit file to within one code") {
  TempDir dir;
  const auto path = dir.file("plate.flac");
  const mixdown::test::PlanarSamples channels{mixdown::test::makeNoise(1000, 0.5, 3)};
  mixdown::test::writeSoundFile(path, channels, 96000, SF_FORMAT_FLAC | SF_FORMAT_PCM_24);
  const auto impulseResponse = readImpulseResponse(path);
  CHECK(impulseResponse.sampleRate == 96000);
  REQUIRE(impulseResponse.channels.size() == 1);
  REQUIRE(impulseResponse.channels[0].size() == 1000);
  for (std::size_t n = 0; n < 1000; ++n)
    CHECK(std::abs(impulseResponse.channels[0][n] - channels[0][n]) <= std::ldexp(1.0, -23));
}

TEST_CASE("io: impulse response file refuses more than two channels, no frames and missing files") {
  TempDir dir;
  const auto surround = dir.file("surround.wav");
  mixdown::test::writeSoundFile(surround, {{0.5f}, {0.5f}, {0.5f}}, 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  CHECK(readError(surround) == quoted(surround) + " has 3 channels; an impulse response has 1 or 2");
  const auto empty = dir.file("empty.wav");
  mixdown::test::writeSoundFile(empty, {{}}, 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  CHECK(readError(empty) == quoted(empty) + " holds no audio frames");
  const auto missing = dir.file("missing.wav");
  CHECK(readError(missing) == "cannot open " + quoted(missing) + ": no such file");
  const auto directory = dir.file("folder.wav");
  std::filesystem::create_directory(directory);
  CHECK(readError(directory) == "cannot open " + quoted(directory) + ": is a directory");
}
