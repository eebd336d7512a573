// make-demo-audio OUTDIR
//
// Synthesises the multitrack of a 40-second demo song (120 bpm, A minor,
// intro / verse / chorus / outro) and writes one 24-bit WAV per track into
// OUTDIR, which sessions/demo.json mixes, and hall_ir.wav, a synthetic
// impulse response for sessions/convolution_hall.json. Generation is fully deterministic:
// every run writes byte-identical files, so renders of the demo can be
// compared across versions of mixdown.
#include "demo_audio/song.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

using demo::Buffer;

constexpr double kFadeOutS = 1.0;           // every track ends in digital silence
constexpr double kFullScale24 = 8388608.0;  // 2^23

void printUsage(std::FILE* stream) {
  std::fputs(
      "usage: make-demo-audio OUTDIR\n"
      "Writes the demo song's tracks (24-bit WAV) into OUTDIR, creating it.\n",
      stream);
}

// Cosine fade over the last kFadeOutS seconds of every channel.
void fadeOutEnd(std::vector<Buffer>& channels, double sampleRateHz) {
  const std::size_t fadeFrames = demo::toSample(kFadeOutS, sampleRateHz);
  for (Buffer& channel : channels) {
    const std::size_t first = channel.size() - std::min(fadeFrames, channel.size());
    for (std::size_t i = first; i < channel.size(); ++i) {
      const double progress = static_cast<double>(i - first) / static_cast<double>(fadeFrames);
      const double gain = 0.5 * (1.0 + std::cos(3.141592653589793 * progress));
      channel[i] = static_cast<float>(channel[i] * gain);
    }
  }
}

double samplePeak(const std::vector<Buffer>& channels) {
  double peak = 0.0;
  for (const Buffer& channel : channels)
    for (const float sample : channel) peak = std::max(peak, static_cast<double>(std::abs(sample)));
  return peak;
}

// Interleaves, scales by gain and quantises to 24 bits (left-justified in the
// 32-bit ints libsndfile takes); peakCode receives the largest absolute 24-bit value.
std::vector<int> quantise24(const std::vector<Buffer>& channels, double gain, int& peakCode) {
  const std::size_t channelCount = channels.size();
  const std::size_t frames = channels.front().size();
  std::vector<int> interleaved(frames * channelCount);
  peakCode = 0;
  for (std::size_t i = 0; i < frames; ++i) {
    for (std::size_t c = 0; c < channelCount; ++c) {
      const double scaled = std::round(static_cast<double>(channels[c][i]) * gain * kFullScale24);
      const int code = static_cast<int>(std::clamp(scaled, -kFullScale24, kFullScale24 - 1.0));
      peakCode = std::max(peakCode, std::abs(code));
      interleaved[i * channelCount + c] = code * 256;
    }
  }
  return interleaved;
}

bool writeWav24(const std::filesystem::path& path, const std::vector<int>& interleaved,
                int channelCount, int sampleRateHz, std::string& error) {
  SF_INFO info{};
  info.samplerate = sampleRateHz;
  info.channels = channelCount;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
  SNDFILE* file = sf_open(path.string().c_str(), SFM_WRITE, &info);
  if (file == nullptr) {
    error = sf_strerror(nullptr);
    return false;
  }
  const auto frames =
      static_cast<sf_count_t>(interleaved.size() / static_cast<std::size_t>(channelCount));
  const sf_count_t written = sf_writef_int(file, interleaved.data(), frames);
  if (written != frames) error = sf_strerror(file);
  const int closeStatus = sf_close(file);
  if (written == frames && closeStatus != 0) error = sf_error_number(closeStatus);
  if (!error.empty()) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);  // leave no half-written file behind
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::string_view(argv[1]) == "-h" || std::string_view(argv[1]) == "--help")) {
    printUsage(stdout);
    return 0;
  }
  if (argc != 2 || argv[1][0] == '\0' || argv[1][0] == '-') {
    printUsage(stderr);
    return 2;
  }
  const std::filesystem::path outDir = argv[1];
  std::error_code ec;
  std::filesystem::create_directories(outDir, ec);
  if (ec || !std::filesystem::is_directory(outDir)) {
    std::fprintf(stderr, "make-demo-audio: cannot create directory %s: %s\n",
                 outDir.string().c_str(), ec ? ec.message().c_str() : "not a directory");
    return 1;
  }

  for (const demo::TrackRecipe& recipe : demo::demoTracks()) {
    const auto sampleRateHz = static_cast<double>(recipe.sampleRateHz);
    const std::size_t frames = demo::toSample(recipe.durationS, sampleRateHz);
    std::vector<Buffer> channels(static_cast<std::size_t>(recipe.channelCount),
                                 Buffer(frames, 0.0f));
    recipe.render(channels, sampleRateHz);
    fadeOutEnd(channels, sampleRateHz);

    // Normalise to the recipe's peak so the session's fader settings
    // start from known, realistic levels.
    const double rawPeak = samplePeak(channels);
    const double gain = rawPeak > 0.0 ? demo::dbToGain(recipe.peakDbfs) / rawPeak : 1.0;
    int peakCode = 0;
    const std::vector<int> interleaved = quantise24(channels, gain, peakCode);

    const std::filesystem::path path = outDir / (recipe.name + ".wav");
    std::string error;
    if (!writeWav24(path, interleaved, recipe.channelCount, recipe.sampleRateHz, error)) {
      std::fprintf(stderr, "make-demo-audio: cannot write %s: %s\n", path.string().c_str(),
                   error.c_str());
      return 1;
    }
    std::printf("wrote %s: %d Hz, %s, %.3f s, 24-bit, peak %.2f dBFS\n", path.string().c_str(),
                recipe.sampleRateHz, recipe.channelCount == 1 ? "mono" : "stereo",
                static_cast<double>(frames) / sampleRateHz,
                demo::gainToDb(peakCode / kFullScale24));
  }
  return 0;
}
