#pragma once
// Measures an audio file on disk, streaming it in blocks (memory does not grow
// with the file's length).

#include <filesystem>

#include "mixdown/analysis/audio_measurement.h"

namespace mixdown::analysis {

/** Frames read from the file per block. */
constexpr int kAnalyzeBlockFrames = 4096;

/**
 * Every AudioMeasurement figure of the file at path, read with libsndfile as
 * float. Throws IoError whose message names the file and the reason:
 * `cannot open "PATH": no such file`, `"PATH" holds no audio frames`,
 * `"PATH" is truncated: ...`, `cannot measure "PATH": ...`.
 */
AudioMeasurement measureAudioFile(const std::filesystem::path& path);

}  // namespace mixdown::analysis
