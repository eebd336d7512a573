// SoundFile::readFrames reads little-endian 24-bit PCM as raw bytes and
// converts them itself; the floats must be exactly libsndfile's own
// (sf_readf_float), read straight through libsndfile as the independent
// reference: every code from -2^23 to 2^23 - 1 at the extremes and random
// codes, in WAV, W64 and RF64, mono and 3 channels, across seeks and reads of
// any size, with a chunk after the audio data; and big-endian 24-bit (AIFF),
// which takes libsndfile's path.

#include "mixdown/io/sound_file.h"

#include <doctest/doctest.h>
#include <sndfile.h>

#include <cstring>
#include <filesystem>
#include <random>
#include <vector>

#include "support/temp_dir.h"

using namespace mixdown::io;

namespace {

std::vector<int> testCodes(std::size_t count, unsigned seed) {
  std::vector<int> codes = {-8388608, -8388607, -1, 0, 1, 8388606, 8388607, 4194304, -4194304};
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> any(-8388608, 8388607);
  while (codes.size() < count) codes.push_back(any(random));
  return codes;
}

std::vector<float> readWithLibsndfile(const std::filesystem::path& path, int channels) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  REQUIRE(file != nullptr);
  std::vector<float> samples(static_cast<std::size_t>(info.frames * channels));
  CHECK(sf_readf_float(file, samples.data(), info.frames) == info.frames);
  sf_close(file);
  return samples;
}

}  // namespace

TEST_CASE("io: 24-bit PCM reads as exactly the floats libsndfile converts") {
  const mixdown::test::TempDir directory;
  struct Case {
    int format;
    const char* name;
  };
  for (const Case& container : {Case{SF_FORMAT_WAV, "a.wav"}, Case{SF_FORMAT_W64, "a.w64"}, Case{SF_FORMAT_RF64, "a.rf64"},
                                Case{SF_FORMAT_AIFF, "a.aiff"}}) {
    for (const int channels : {1, 3}) {
      INFO(container.name << ", " << channels << " channels");
      const std::filesystem::path path = directory.file(container.name);
      const std::vector<int> codes = testCodes(static_cast<std::size_t>(channels) * 5003, static_cast<unsigned>(channels));
      {
        SF_INFO info{};
        info.samplerate = 48000;
        info.channels = channels;
        info.format = container.format | SF_FORMAT_PCM_24;
        SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
        REQUIRE(file != nullptr);
        std::vector<int> words;
        for (const int code : codes) words.push_back(code * 256);  // libsndfile's int is full-scale 32-bit
        REQUIRE(sf_writef_int(file, words.data(), static_cast<sf_count_t>(codes.size()) / channels) ==
                static_cast<sf_count_t>(codes.size()) / channels);
        // Set after the audio, the comment goes in a chunk after the data, which a raw read must not take in.
        sf_set_string(file, SF_STR_COMMENT, "a chunk after the audio data, long enough to hold several frames");
        sf_close(file);
      }
      const std::vector<float> expected = readWithLibsndfile(path, channels);
      REQUIRE(expected.size() == codes.size());
      CHECK(expected.front() == -1.0f);

      SoundFile file = SoundFile::openRead(path);
      // Room for a read past the end (libsndfile zero-fills what it asked for).
      std::vector<float> read(expected.size() + static_cast<std::size_t>(100000 * channels), 7.0f);
      std::int64_t done = 0;
      for (const std::int64_t size : {1, 2, 1000, 17, 4096}) {
        done += file.readFrames(read.data() + done * channels, size);
      }
      done += file.readFrames(read.data() + done * channels, 100000);  // more than is left: the rest
      CHECK(done == static_cast<std::int64_t>(codes.size()) / channels);
      CHECK(std::memcmp(read.data(), expected.data(), expected.size() * sizeof(float)) == 0);
      CHECK(file.readFrames(read.data(), 10) == 0);  // at the end
      // After a seek, the same frames again.
      REQUIRE(file.seekFrame(4000));
      std::vector<float> again(static_cast<std::size_t>(1003 * channels));
      CHECK(file.readFrames(again.data(), 1003) == 1003);
      CHECK(std::memcmp(again.data(), expected.data() + 4000 * channels, again.size() * sizeof(float)) == 0);
    }
  }
}
