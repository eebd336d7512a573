// libFuzzer target: bytes as an audio source file, through the project's
// reader: probeAudioFile (header, length and truncation checks) and, when the
// probe accepts it, a TrackSourceReader playing it as one clip at 48 kHz for a
// few blocks (resampled when the file's rate differs). IoError is the
// expected answer to a bad file; anything else that escapes is a defect.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "mixdown/audio/audio_block.h"
#include "mixdown/io/audio_file_info.h"
#include "mixdown/io/track_source_reader.h"
#include "mixdown/util/error.h"

namespace {

constexpr int kSessionRateHz = 48000;
constexpr int kBlockFrames = 1024;
constexpr int kBlocksRead = 8;  // enough to cross a resampler's start-up and a few decoder frames

/** One file per fuzzing process, rewritten for every input. */
const std::filesystem::path& scratchFile() {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("mixdown-audio-fuzz-" + std::to_string(getpid()) + ".wav");
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mixdown;
  const std::filesystem::path& path = scratchFile();
  {
    std::ofstream stream(path, std::ios::binary | std::ios::trunc);
    stream.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const io::AudioFileInfo info = io::probeAudioFile(path);
    io::ClipReadSpec clip;
    clip.file = path;
    if (info.channels > 2) clip.channels = {0, info.channels - 1};
    io::TrackSourceReader reader({clip}, kSessionRateHz, 2, kBlockFrames);
    AudioBuffer buffer(2, kBlockFrames);
    for (int block = 0; block < kBlocksRead; ++block)
      reader.read(static_cast<std::int64_t>(block) * kBlockFrames, buffer.block(kBlockFrames));
  } catch (const IoError&) {
    // A bad file, refused with a message: the expected outcome.
  }
  std::filesystem::remove(path);
  return 0;
}
