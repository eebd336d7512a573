// Writes the audio fuzzer's seed corpus: short files in every container and
// sample format the reader meets (WAV 16/24/32-bit integer and float, AIFF,
// FLAC, Ogg Vorbis, mono to four channels, 44.1 and 48 kHz), each a few
// hundred frames of a sine so the fuzzer starts from well-formed headers.
//
// Usage: make-fuzz-seeds DIR

#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

namespace {

constexpr sf_count_t kFrames = 300;  // small: libFuzzer mutates whole files

struct Seed {
  const char* name;
  int format;
  int channels;
  int sampleRateHz;
};

bool writeSeed(const std::filesystem::path& folder, const Seed& seed) {
  SF_INFO info{};
  info.channels = seed.channels;
  info.samplerate = seed.sampleRateHz;
  info.format = seed.format;
  const std::string path = (folder / seed.name).string();
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) {
    std::fprintf(stderr, "make-fuzz-seeds: cannot write %s: %s\n", path.c_str(), sf_strerror(nullptr));
    return false;
  }
  std::vector<float> interleaved(static_cast<std::size_t>(kFrames * seed.channels));
  for (sf_count_t frame = 0; frame < kFrames; ++frame)
    for (int channel = 0; channel < seed.channels; ++channel)
      // 440 Hz at half scale, each channel a little later than the one before.
      interleaved[static_cast<std::size_t>(frame * seed.channels + channel)] = static_cast<float>(
          0.5 * std::sin(2.0 * std::numbers::pi * 440.0 * static_cast<double>(frame + 7 * channel) / seed.sampleRateHz));
  const bool written = sf_writef_float(file, interleaved.data(), kFrames) == kFrames;
  return sf_close(file) == 0 && written;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make-fuzz-seeds DIR\n");
    return 2;
  }
  const std::filesystem::path folder = argv[1];
  std::filesystem::create_directories(folder);
  const Seed seeds[] = {
      {"pcm16_mono_48k.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000},
      {"pcm24_stereo_44k.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 2, 44100},
      {"pcm32_stereo_48k.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_32, 2, 48000},
      {"float_four_channels_48k.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 4, 48000},
      {"extensible_stereo_96k.wav", SF_FORMAT_WAVEX | SF_FORMAT_PCM_16, 2, 96000},
      {"pcm16_stereo_44k.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 2, 44100},
      {"pcm16_mono_48k.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, 48000},
      {"pcm24_stereo_44k.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 2, 44100},
      {"vorbis_stereo_48k.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 2, 48000},
  };
  bool allWritten = true;
  for (const Seed& seed : seeds) allWritten = writeSeed(folder, seed) && allWritten;
  return allWritten ? 0 : 1;
}
