#include "mixdown/analysis/analyze_file.h"

#include <optional>
#include <stdexcept>

#include "mixdown/io/planar_file_reader.h"
#include "mixdown/util/error.h"

namespace mixdown::analysis {

AudioMeasurement measureAudioFile(const std::filesystem::path& path) {
  // The reader probes first: empty and truncated files are errors before anything is measured.
  io::PlanarFileReader reader(path, kAnalyzeBlockFrames);
  std::optional<AudioMeter> meter;
  try {
    meter.emplace(reader.info().channels, reader.info().sampleRate);
  } catch (const std::invalid_argument& error) {
    throw IoError("cannot measure " + io::quotedPath(path) + ": " + error.what());
  }
  for (ConstAudioBlock block = reader.next(); !block.empty(); block = reader.next()) meter->add(block);
  return meter->result();
}

}  // namespace mixdown::analysis
