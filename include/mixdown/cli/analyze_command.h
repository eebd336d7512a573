#pragma once
// `mixdown analyze FILE... [--json]`: loudness (BS.1770-4 / EBU R 128), peaks,
// RMS, DC offset and stereo correlation of audio files. A table per file for
// people, or with --json an array of one object per file for scripts. A file
// that cannot be read is named on stderr, the others are still measured, and
// the exit status is 1.

#include <string>
#include <vector>

#include "mixdown/cli/command.h"

namespace mixdown::cli {

int runAnalyze(const std::vector<std::string>& files, bool json);

/** Adds `analyze` and its flags to app. */
RegisteredCommand registerAnalyzeCommand(CLI::App& app);

}  // namespace mixdown::cli
