#pragma once
// `mixdown init`: a first session for a set of audio files, valid as it is.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

namespace mixdown::session {

/**
 * A session with one track per file (in the order given), named from the file names (made valid and
 * unique), the render rate the most common of the files' rates (the higher on a tie), a mono left/right
 * pair (gtr_L/gtr_R, gtr.L/gtr.R, gtr left/right) panned hard apart, master normalised to -14 LUFS under
 * -1 dBTP, stems of the tracks, and "_comment" keys saying what to edit next. Source paths are written
 * relative to sessionDir. Probes every file (throws io::IoError naming one that does not open as audio).
 */
nlohmann::ordered_json startingSession(const std::vector<std::filesystem::path>& files, const std::filesystem::path& sessionDir);

/** The audio files directly in folder (by extension: .wav .flac .aif .aiff .ogg .mp3 ...), sorted by name. */
std::vector<std::filesystem::path> audioFilesIn(const std::filesystem::path& folder);

}  // namespace mixdown::session
