#pragma once
// The masking analysis (masking_analysis.h) of a set of audio files taken as the
// stems of one mix (`mixdown analyze --masking`): read in lockstep, block by
// block; a file that ends early is silent from there on.

#include <filesystem>
#include <vector>

#include "mixdown/analysis/masking_analysis.h"

namespace mixdown::analysis {

/**
 * Each file is one track, named by its file name without extension (its path
 * as given where two names would be equal). Throws IoError naming the file:
 * unreadable, more than 2 channels, or a sample rate other than the first file's.
 */
MaskingResult analyseMaskingOfFiles(const std::vector<std::filesystem::path>& paths);

}  // namespace mixdown::analysis
