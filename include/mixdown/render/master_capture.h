#pragma once
// The finished master kept on disk between the two passes of loudness
// normalisation, so memory stays bounded whatever the song's length: raw
// interleaved float32 stereo (native byte order, no header) in a hidden
// temporary file beside the mix (io/temporary_file.h), removed when the
// capture is destroyed.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "mixdown/audio/audio_block.h"
#include "mixdown/io/temporary_file.h"

namespace mixdown::render {

class MasterCapture {
public:
  /** Creates a temporary file beside the mix file mixPath; throws IoError naming mixPath. */
  explicit MasterCapture(const std::filesystem::path& mixPath);
  ~MasterCapture();
  MasterCapture(const MasterCapture&) = delete;
  MasterCapture& operator=(const MasterCapture&) = delete;

  /** Appends a stereo block; throws IoError (disk full...). */
  void write(ConstAudioBlock stereo);
  /** Flushes what was written; throws IoError. Call before read(). */
  void finishWriting();
  /** Reads the capture from the start in stereo blocks of at most blockFrames, handing each to consume. */
  void read(int blockFrames, const std::function<void(ConstAudioBlock)>& consume);

  std::int64_t frames() const noexcept { return frames_; }
  /** The largest |sample| written (full scale 1.0); 0 for silence. */
  float peakAmplitude() const noexcept { return peakAmplitude_; }

private:
  std::string shownName_;  // in messages: the temporary master of "out/mix.wav"
  io::TemporaryFile temporary_;
  std::FILE* file_ = nullptr;  // a stream over a duplicate of temporary_'s descriptor
  std::int64_t frames_ = 0;
  float peakAmplitude_ = 0.0f;
  std::vector<float> interleaved_;
};

}  // namespace mixdown::render
