#include "support/integer_pcm.h"

#include <sndfile.h>

#include <stdexcept>

namespace mixdown::test {

void writeIntegerCodes(const std::filesystem::path& path, const std::vector<std::int32_t>& interleaved, int channels,
                       int sampleRate, int bits) {
  if (bits != 16 && bits != 24) throw std::invalid_argument("fixture: integer codes are 16 or 24 bits");
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  SF_INFO info{};
  info.channels = channels;
  info.samplerate = sampleRate;
  info.format = SF_FORMAT_WAV | (bits == 16 ? SF_FORMAT_PCM_16 : SF_FORMAT_PCM_24);
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) throw std::runtime_error("fixture: cannot write " + path.string());
  // libsndfile's int samples are left-aligned in 32 bits: an n-bit code is shifted up by 32 - n.
  std::vector<int> aligned;
  aligned.reserve(interleaved.size());
  for (const std::int32_t code : interleaved)
    aligned.push_back(static_cast<int>(static_cast<std::uint32_t>(code) << (32 - bits)));
  const auto frames = static_cast<sf_count_t>(interleaved.size() / static_cast<std::size_t>(channels));
  const sf_count_t written = sf_writef_int(file, aligned.data(), frames);
  sf_close(file);
  if (written != frames) throw std::runtime_error("fixture: short write to " + path.string());
}

std::vector<std::int32_t> noiseCodes(std::int64_t frames, int channels, std::int32_t maxCode, std::uint64_t seed) {
  std::vector<std::int32_t> codes(static_cast<std::size_t>(frames * channels));
  std::uint64_t state = seed;
  const auto span = static_cast<std::uint64_t>(2 * static_cast<std::int64_t>(maxCode) + 1);
  for (auto& code : codes) {
    // Knuth's MMIX LCG; its top 32 bits, reduced to the span (bias below 2^-8 for spans under 2^24).
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    code = static_cast<std::int32_t>(static_cast<std::int64_t>((state >> 32) % span) - maxCode);
  }
  return codes;
}

}  // namespace mixdown::test
