#pragma once
// Fixture audio files written and read with libsndfile directly, so the io tests
// check mixdown's reader and writer against the library, not against themselves.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mixdown::test {

using PlanarSamples = std::vector<std::vector<float>>;  // [channel][frame]

/** Writes channels (equal lengths) with libsndfile's own conversion; sfFormat e.g. SF_FORMAT_WAV | SF_FORMAT_FLOAT. */
void writeSoundFile(const std::filesystem::path& path, const PlanarSamples& channels, int sampleRate, int sfFormat);

struct SoundFileContents {
  int channels = 0;
  int sampleRate = 0;
  std::int64_t frames = 0;
  int sfFormat = 0;
  PlanarSamples samples;  // as libsndfile decodes them to float
};

SoundFileContents readSoundFile(const std::filesystem::path& path);

/** The integer codes of an n-bit PCM file, interleaved (libsndfile's int reading shifted down by 32 - bits). */
std::vector<std::int32_t> readIntegerCodes(const std::filesystem::path& path, int bits);

/** The bytes of a RIFF WAV file's data chunk, found by walking its chunks. */
std::vector<unsigned char> wavDataChunk(const std::filesystem::path& path);

std::vector<unsigned char> fileBytes(const std::filesystem::path& path);

/** Lowercase hex SHA-256 of bytes (OpenSSL's one-shot EVP_Digest). */
std::string sha256Hex(const std::vector<unsigned char>& bytes);

}  // namespace mixdown::test
