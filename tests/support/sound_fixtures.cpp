#include "support/sound_fixtures.h"

#include <openssl/evp.h>
#include <sndfile.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace mixdown::test {

void writeSoundFile(const std::filesystem::path& path, const PlanarSamples& channels, int sampleRate, int sfFormat) {
  SF_INFO info{};
  info.samplerate = sampleRate;
  info.channels = static_cast<int>(channels.size());
  info.format = sfFormat;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) throw std::runtime_error("fixture: cannot write " + path.string() + ": " + sf_strerror(nullptr));
  sf_command(file, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
  const std::size_t frames = channels.empty() ? 0 : channels[0].size();
  std::vector<float> interleaved(frames * channels.size());
  for (std::size_t frame = 0; frame < frames; ++frame) {
    for (std::size_t c = 0; c < channels.size(); ++c) interleaved[frame * channels.size() + c] = channels[c][frame];
  }
  const auto written = sf_writef_float(file, interleaved.data(), static_cast<sf_count_t>(frames));
  sf_close(file);
  if (written != static_cast<sf_count_t>(frames)) throw std::runtime_error("fixture: short write " + path.string());
}

SoundFileContents readSoundFile(const std::filesystem::path& path) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) throw std::runtime_error("fixture: cannot read " + path.string() + ": " + sf_strerror(nullptr));
  std::vector<float> interleaved(static_cast<std::size_t>(info.frames * info.channels));
  const auto read = sf_readf_float(file, interleaved.data(), info.frames);
  sf_close(file);
  SoundFileContents contents;
  contents.channels = info.channels;
  contents.sampleRate = info.samplerate;
  contents.frames = read;
  contents.sfFormat = info.format;
  contents.samples.assign(static_cast<std::size_t>(info.channels), std::vector<float>(static_cast<std::size_t>(read)));
  for (std::size_t frame = 0; frame < static_cast<std::size_t>(read); ++frame) {
    for (std::size_t c = 0; c < static_cast<std::size_t>(info.channels); ++c) {
      contents.samples[c][frame] = interleaved[frame * static_cast<std::size_t>(info.channels) + c];
    }
  }
  return contents;
}

std::vector<std::int32_t> readIntegerCodes(const std::filesystem::path& path, int bits) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) throw std::runtime_error("fixture: cannot read " + path.string());
  std::vector<int> interleaved(static_cast<std::size_t>(info.frames * info.channels));
  const auto read = sf_readf_int(file, interleaved.data(), info.frames);
  sf_close(file);
  interleaved.resize(static_cast<std::size_t>(read * info.channels));
  std::vector<std::int32_t> codes;
  codes.reserve(interleaved.size());
  for (const int value : interleaved) codes.push_back(value >> (32 - bits));
  return codes;
}

std::vector<unsigned char> fileBytes(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
}

std::vector<unsigned char> wavDataChunk(const std::filesystem::path& path) {
  const std::vector<unsigned char> bytes = fileBytes(path);
  std::size_t offset = 12;
  while (offset + 8 <= bytes.size()) {
    const std::uint32_t size = std::uint32_t{bytes[offset + 4]} | (std::uint32_t{bytes[offset + 5]} << 8) |
                               (std::uint32_t{bytes[offset + 6]} << 16) | (std::uint32_t{bytes[offset + 7]} << 24);
    if (std::memcmp(bytes.data() + offset, "data", 4) == 0) {
      const auto begin = bytes.begin() + static_cast<std::ptrdiff_t>(offset + 8);
      return {begin, begin + static_cast<std::ptrdiff_t>(size)};
    }
    offset += 8 + size + (size & 1u);
  }
  throw std::runtime_error("fixture: no data chunk in " + path.string());
}

std::string sha256Hex(const std::vector<unsigned char>& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  char pair[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    hex += pair;
  }
  return hex;
}

}  // namespace mixdown::test
