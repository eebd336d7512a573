#pragma once
// `mixdown diff A B [--threshold-db X] [--json]`: null test of two audio files,
// or of two render folders file by file (docs/analysis.md, "mixdown diff").
// Exit status (CLI.md): 0 within the threshold, 1 the files differ beyond it
// (or differ in length, channels or rate, or a file is in one folder only),
// 2 usage error or a file that cannot be read.

#include <string>

#include "mixdown/analysis/compare_files.h"
#include "mixdown/cli/command.h"

namespace mixdown::cli {

struct DiffCommandOptions {
  std::string pathA;
  std::string pathB;
  /** The largest residual peak (max |b - a|, dBFS) still counted as equal; -infinity admits none. */
  double thresholdDb = analysis::kDefaultDiffThresholdDb;
  bool json = false;
};

int runDiff(const DiffCommandOptions& options);

/** Adds `diff` and its flags to app. */
RegisteredCommand registerDiffCommand(CLI::App& app);

}  // namespace mixdown::cli
