#include "support/cli_fixtures.h"

#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>
#include <stdexcept>

namespace mixdown::test {

namespace fs = std::filesystem;

int wavFormat(SampleFormat format) {
  return SF_FORMAT_WAV | (format == SampleFormat::Float32 ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_16);
}

PlanarSamples sineChannels(double frequencyHz, int sampleRate, std::int64_t frames, int channels, double amplitude) {
  PlanarSamples samples(static_cast<std::size_t>(channels), std::vector<float>(static_cast<std::size_t>(frames)));
  const double radiansPerFrame = 2.0 * std::numbers::pi * frequencyHz / sampleRate;
  for (std::size_t channel = 0; channel < samples.size(); ++channel)
    for (std::size_t frame = 0; frame < samples[channel].size(); ++frame)
      samples[channel][frame] = static_cast<float>(
          amplitude * std::sin(radiansPerFrame * static_cast<double>(frame) + static_cast<double>(channel) * std::numbers::pi / 3.0));
  return samples;
}

PlanarSamples noiseChannels(std::int64_t frames, int channels, double amplitude, std::uint64_t seed) {
  PlanarSamples samples(static_cast<std::size_t>(channels), std::vector<float>(static_cast<std::size_t>(frames)));
  std::uint64_t state = seed;
  for (auto& channel : samples)
    for (auto& sample : channel) {
      // Knuth's MMIX LCG; the top 24 bits give a uniform value in [0, 1).
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      const double unit = static_cast<double>(state >> 40) / static_cast<double>(1ull << 24);
      sample = static_cast<float>(amplitude * (2.0 * unit - 1.0));
    }
  return samples;
}

void writeWav(const fs::path& path, const PlanarSamples& channels, int sampleRate, SampleFormat format) {
  fs::create_directories(path.parent_path());
  writeSoundFile(path, channels, sampleRate, wavFormat(format));
}

void writeEmptyWav(const fs::path& path, int channels, int sampleRate) {
  fs::create_directories(path.parent_path());
  writeSoundFile(path, PlanarSamples(static_cast<std::size_t>(channels)), sampleRate, wavFormat(SampleFormat::Pcm16));
}

void writeTruncatedWav(const fs::path& path, std::uintmax_t keepBytes) {
  writeWav(path, sineChannels(440.0, 48000, 48000, 1, 0.5), 48000, SampleFormat::Pcm16);
  fs::resize_file(path, keepBytes);
}

void writeTextFile(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  stream << text;
  if (!stream) throw std::runtime_error("fixture: cannot write " + path.string());
}

std::string readTextFile(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw std::runtime_error("fixture: cannot read " + path.string());
  std::ostringstream contents;
  contents << stream.rdbuf();
  return contents.str();
}

void writeJsonFile(const fs::path& path, const nlohmann::json& document) { writeTextFile(path, document.dump(2) + "\n"); }

void makeBadSessionFixtures(const fs::path& root) {
  const fs::path audio = root / "audio";
  writeWav(audio / "sine.wav", sineChannels(440.0, 48000, 48000, 1, 0.5), 48000, SampleFormat::Pcm16);
  writeWav(audio / "stereo.wav", sineChannels(440.0, 48000, 48000, 2, 0.5), 48000, SampleFormat::Float32);
  writeWav(audio / "four_channels.wav", sineChannels(440.0, 48000, 24000, 4, 0.5), 48000, SampleFormat::Pcm16);
  writeEmptyWav(audio / "empty.wav", 1, 48000);
  writeTruncatedWav(audio / "truncated.wav", 2000);
  writeTextFile(audio / "not_audio.wav", "This is a text file with a .wav name, not audio.\n");
  fs::create_symlink("sine.wav", audio / "link_to_sine.wav");
  const fs::path readOnly = root / "read_only";
  fs::create_directories(readOnly);
  fs::permissions(readOnly, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
}

bool runningAsRoot() { return geteuid() == 0; }

fs::path sourceDir() { return fs::path(MIXDOWN_SOURCE_DIR); }

}  // namespace mixdown::test
