#pragma once
// `mixdown render SESSION... [--manifest FILE]`: validate, then render each
// session's outputs (the main mix and its variants); with --shard and
// --stride/--index only this task's share of them, with --results a JSON line
// per render.

#include <optional>
#include <string>
#include <vector>

#include "mixdown/cli/command.h"

namespace mixdown::cli {

struct RenderCommandOptions {
  std::vector<std::string> sessions;
  std::optional<std::string> manifest;   // --manifest FILE (cli/batch_entries.h)
  std::optional<std::string> shard;      // --shard K/N
  std::optional<int> stride;             // --stride S
  std::optional<int> index;              // --index I (default: from the scheduler's environment)
  std::optional<std::string> results;    // --results FILE (cli/batch_results.h)
  std::optional<std::string> depfile;    // --depfile FILE (cli/depfile.h)
  std::optional<std::string> outputDir;
  std::vector<std::string> assignments;  // --set
  std::vector<std::string> variants;     // --variant: render only these variants
  bool noVariants = false;
  bool mixOnly = false;
  bool stemsOnly = false;
  int threads = 0;  // 0: all cores
  double pluginTimeoutS = 120.0;  // --plugin-timeout-s: a plugin call longer than this stops the render (cli/contained_render.h)
  bool quiet = false;
  std::optional<std::string> progress;  // --progress[=lines|json] ("on" bare), "off" for --no-progress; none: on a terminal
  bool dryRun = false;
  bool clean = false;  // --clean
  bool force = false;  // --force
  std::optional<double> maxLengthS;  // --max-length-s
  bool strict = false;                // --strict: every warning fails the render
  std::vector<std::string> failOn;    // --fail-on KIND[,KIND]
  bool json = false;                  // --json diagnostics
  bool noLaneGroups = false;          // hidden: the plan without the lane grouping rewrite (the same bits)
  bool noPlacedSums = false;          // hidden: the plan without the placed sums rewrite (the same bits)
};

int runRender(const RenderCommandOptions& options);

/** Adds `render` and its flags to app. */
RegisteredCommand registerRenderCommand(CLI::App& app);

}  // namespace mixdown::cli
