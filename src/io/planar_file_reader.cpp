#include "mixdown/io/planar_file_reader.h"

#include <algorithm>
#include <string>

#include "mixdown/util/error.h"

namespace mixdown::io {

PlanarFileReader::PlanarFileReader(const std::filesystem::path& path, int blockFrames)
    : info_(probeAudioFile(path)),
      file_(SoundFile::openRead(path)),
      blockFrames_(blockFrames),
      interleaved_(static_cast<std::size_t>(blockFrames) * static_cast<std::size_t>(info_.channels)),
      planar_(info_.channels, blockFrames) {}

ConstAudioBlock PlanarFileReader::next() {
  const auto wanted = static_cast<int>(std::min<std::int64_t>(blockFrames_, framesLeft()));
  if (wanted == 0) return planar_.constBlock(info_.channels, 0);
  const auto read = static_cast<int>(file_.readFrames(interleaved_.data(), wanted));
  if (read == 0) {
    throw IoError("cannot read " + quotedPath(file_.path()) + ": it ends after " + std::to_string(framesRead_) +
                  " of " + std::to_string(info_.frames) + " frames (" + file_.errorText() + ")");
  }
  const auto channels = static_cast<std::size_t>(info_.channels);
  const AudioBlock block = planar_.block(read);
  for (std::size_t channel = 0; channel < channels; ++channel) {
    float* samples = block.channel(static_cast<int>(channel));
    for (int frame = 0; frame < read; ++frame)
      samples[frame] = interleaved_[static_cast<std::size_t>(frame) * channels + channel];
  }
  framesRead_ += read;
  return block;
}

}  // namespace mixdown::io
