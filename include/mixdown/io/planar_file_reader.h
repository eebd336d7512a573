#pragma once
// Reads an audio file from start to end in planar float blocks of at most a
// fixed size, so memory does not grow with the file's length. The file is
// probed first (io::probeAudioFile): empty and truncated files are errors.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "mixdown/audio/audio_block.h"
#include "mixdown/io/audio_file_info.h"
#include "mixdown/io/sound_file.h"

namespace mixdown::io {

class PlanarFileReader {
 public:
  /** Probes and opens path; throws IoError naming the file and the reason (see probeAudioFile). */
  PlanarFileReader(const std::filesystem::path& path, int blockFrames);

  const AudioFileInfo& info() const noexcept { return info_; }
  std::int64_t framesLeft() const noexcept { return info_.frames - framesRead_; }

  /**
   * The next min(blockFrames, framesLeft()) frames as float (libsndfile's
   * decoding, full scale 1.0), valid until the next call; an empty block after
   * the last frame. Throws IoError `cannot read "PATH": it ends after N of M
   * frames (...)` when the data stops before the header's count.
   */
  ConstAudioBlock next();

 private:
  AudioFileInfo info_;
  SoundFile file_;
  int blockFrames_;
  std::vector<float> interleaved_;
  AudioBuffer planar_;
  std::int64_t framesRead_ = 0;
};

}  // namespace mixdown::io
