#pragma once
// `mixdown compare MIX --reference REF... | --target FILE [--save-target FILE] [--json]`:
// a mix held against reference tracks, loudness-matched (docs/insight.md,
// "Comparing with references"). Exit status: 0 compared (or the target
// saved), 1 a file cannot be read or measured, 2 a usage error.

#include <string>
#include <vector>

#include "mixdown/cli/command.h"

namespace mixdown::cli {

struct CompareCommandOptions {
  std::string mix;  // empty: only --save-target
  std::vector<std::string> references;
  std::string targetFile;
  std::string saveTarget;
  bool json = false;
};

int runCompare(const CompareCommandOptions& options);

/** Adds `compare` and its flags to app. */
RegisteredCommand registerCompareCommand(CLI::App& app);

}  // namespace mixdown::cli
