// libFuzzer target: bytes as a session file, through what `mixdown validate`
// does, in process: JSON syntax and repeated keys (parseJsonText), structure,
// routing, variants, sources and frequencies (loadDocument), then the output
// plan. The session sits in a scratch folder beside the audio files the
// project's sessions name (audio/sine.wav, audio/stereo.wav,
// audio/four_channels.wav), so clips are probed and checked against real
// files; any other path is missing.
//
// Any exception that escapes is a defect: the CLI would die with it instead of
// answering with a message.

#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "mixdown/session/load.h"
#include "mixdown/session/output_plan.h"
#include "mixdown/session/read_json.h"

namespace {

constexpr int kFixtureRateHz = 48000;

/** frames of a half-scale 440 Hz sine in every channel, 16-bit WAV. */
void writeFixture(const std::filesystem::path& path, int channels, sf_count_t frames) {
  SF_INFO info{};
  info.channels = channels;
  info.samplerate = kFixtureRateHz;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) std::abort();
  std::vector<float> interleaved(static_cast<std::size_t>(frames * channels));
  for (sf_count_t frame = 0; frame < frames; ++frame)
    for (int channel = 0; channel < channels; ++channel)
      interleaved[static_cast<std::size_t>(frame * channels + channel)] =
          static_cast<float>(0.5 * std::sin(2.0 * 3.141592653589793 * 440.0 * static_cast<double>(frame) / kFixtureRateHz));
  sf_writef_float(file, interleaved.data(), frames);
  sf_close(file);
}

/** The scratch folder, with its audio written once per fuzzing process and removed at exit. */
class ScratchFolder {
public:
  ScratchFolder()
      : folder_(std::filesystem::temp_directory_path() / ("mixdown-session-fuzz-" + std::to_string(getpid()))) {
    std::filesystem::create_directories(folder_ / "audio");
    writeFixture(folder_ / "audio" / "sine.wav", 1, kFixtureRateHz);
    writeFixture(folder_ / "audio" / "stereo.wav", 2, kFixtureRateHz);
    writeFixture(folder_ / "audio" / "four_channels.wav", 4, kFixtureRateHz / 2);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  std::filesystem::path sessionFile() const { return folder_ / "session.json"; }

private:
  std::filesystem::path folder_;
};

const std::filesystem::path& sessionFile() {
  static const ScratchFolder folder;
  static const std::filesystem::path path = folder.sessionFile();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mixdown::session;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Diagnostics diagnostics;
  std::optional<nlohmann::json> document = parseJsonText(text, diagnostics);
  if (!document) return 0;
  LoadResult result = loadDocument(std::move(*document), sessionFile(), LoadOptions{});
  if (result.loaded) planOutputs(result.loaded->session, {}, result.diagnostics);
  // Every problem renders as the CLI prints it.
  for (const auto& line : result.diagnostics.format(sessionFile().string())) (void)line;
  return 0;
}
