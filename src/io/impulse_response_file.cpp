#include "mixdown/io/impulse_response_file.h"

#include <string>

#include "mixdown/io/audio_file_info.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::io {

ImpulseResponseFile readImpulseResponse(const std::filesystem::path& path) {
  // The probe rejects unreadable, empty and truncated files with the reader's own messages.
  const AudioFileInfo info = probeAudioFile(path);
  if (info.channels > 2) {
    throw IoError(quotedPath(path) + " has " + std::to_string(info.channels) +
                  " channels; an impulse response has 1 or 2");
  }
  const auto channels = static_cast<std::size_t>(info.channels);
  const auto frames = static_cast<std::size_t>(info.frames);
  std::vector<float> interleaved(frames * channels);
  SoundFile file = SoundFile::openRead(path);
  const std::int64_t read = file.readFrames(interleaved.data(), info.frames);
  if (read != info.frames) {
    throw IoError("cannot read " + quotedPath(path) + ": reading stopped at frame " + std::to_string(read) + " of " +
                  std::to_string(info.frames) + " (" + file.errorText() + ")");
  }

  ImpulseResponseFile result;
  result.sampleRate = info.sampleRate;
  result.channels.assign(channels, std::vector<float>(frames));
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t n = 0; n < frames; ++n) result.channels[c][n] = interleaved[n * channels + c];
  return result;
}

}  // namespace mixdown::io
