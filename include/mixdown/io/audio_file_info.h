#pragma once
// What a source file holds, read from its header and checked against its data.

#include <cstdint>
#include <filesystem>
#include <string>

namespace mixdown::io {

struct AudioFileInfo {
  int channels = 0;
  int sampleRate = 0;
  std::int64_t frames = 0;
  std::string format;  // "wav", "flac", "aiff", "ogg", ...
};

/**
 * Opens path as audio and checks that it holds at least one frame and as many
 * frames as its header promises (a truncated file is an error, not silence).
 * Formats whose length cannot be checked are refused by name: mixdown reads
 * WAV, W64, RF64, AIFF/AIFC, AU, CAF, FLAC, Ogg (Vorbis, Opus) and MP3.
 * Throws IoError whose message names the file and the reason, e.g.
 * `cannot open "audio/gtr.wav": no such file`. The decoders' own notes on
 * standard error are silenced meanwhile (quiet_library_output.h): call it on
 * the main thread, outside the render's parallel steps, as every caller does.
 */
AudioFileInfo probeAudioFile(const std::filesystem::path& path);

}  // namespace mixdown::io
