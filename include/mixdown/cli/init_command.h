#pragma once
// `mixdown init AUDIO... | DIR [-o FILE [--force]]`: a starting session for a set of audio files or a
// folder's, on stdout or into FILE (never replacing one without --force).

#include <string>
#include <vector>

#include "mixdown/cli/command.h"

namespace mixdown::cli {

struct InitCommandOptions {
  std::vector<std::string> inputs;  // audio files, or one folder
  std::string outputFile;           // empty: stdout
  bool force = false;               // replace an existing outputFile
};

int runInit(const InitCommandOptions& options);

/** Adds `init` to app. */
RegisteredCommand registerInitCommand(CLI::App& app);

}  // namespace mixdown::cli
