#include "mixdown/analysis/analyze_file.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "mixdown/io/audio_file_info.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::analysis {

AudioMeasurement measureAudioFile(const std::filesystem::path& path) {
  // The probe rejects empty and truncated files before anything is measured.
  const io::AudioFileInfo info = io::probeAudioFile(path);
  io::SoundFile file = io::SoundFile::openRead(path);

  std::optional<AudioMeter> meter;
  try {
    meter.emplace(info.channels, info.sampleRate);
  } catch (const std::invalid_argument& error) {
    throw IoError("cannot measure " + io::quotedPath(path) + ": " + error.what());
  }

  const auto channels = static_cast<std::size_t>(info.channels);
  std::vector<float> interleaved(static_cast<std::size_t>(kAnalyzeBlockFrames) * channels);
  AudioBuffer planar(info.channels, kAnalyzeBlockFrames);
  std::int64_t framesRead = 0;
  while (framesRead < info.frames) {
    const auto wanted = static_cast<int>(std::min<std::int64_t>(kAnalyzeBlockFrames, info.frames - framesRead));
    const auto read = static_cast<int>(file.readFrames(interleaved.data(), wanted));
    if (read == 0) {
      throw IoError("cannot read " + io::quotedPath(path) + ": it ends after " + std::to_string(framesRead) + " of " +
                    std::to_string(info.frames) + " frames (" + file.errorText() + ")");
    }
    const AudioBlock block = planar.block(read);
    for (std::size_t channel = 0; channel < channels; ++channel) {
      float* samples = block.channel(static_cast<int>(channel));
      for (int frame = 0; frame < read; ++frame)
        samples[frame] = interleaved[static_cast<std::size_t>(frame) * channels + channel];
    }
    meter->add(block);
    framesRead += read;
  }
  return meter->result();
}

}  // namespace mixdown::analysis
