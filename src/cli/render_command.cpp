#include "mixdown/cli/render_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <cstdio>
#include <iostream>
#include <tuple>

#include "mixdown/cli/batch_entries.h"
#include "mixdown/cli/batch_results.h"
#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/cli/render_entry.h"
#include "mixdown/cli/stop_signals.h"
#include "mixdown/render/render_session.h"
#include "mixdown/util/cancellation.h"
#include "mixdown/util/error.h"

namespace mixdown::cli {

namespace {

/** The sessions given and the manifest's, narrowed to this task's share; none after a usage error (printed). */
std::optional<std::vector<BatchEntry>> batchEntries(const RenderCommandOptions& options) {
  std::vector<BatchEntry> entries;
  for (const std::string& file : options.sessions) entries.push_back(commandLineEntry(file));
  if (options.manifest) {
    try {
      std::vector<BatchEntry> listed = readManifest(*options.manifest);
      entries.insert(entries.end(), std::make_move_iterator(listed.begin()), std::make_move_iterator(listed.end()));
    } catch (const ManifestError& error) {
      printError(error.what());
      return std::nullopt;
    }
  }
  if (entries.empty()) {
    printError("no session to render: give SESSION... or a --manifest with at least one line");
    return std::nullopt;
  }
  Selection selection;
  try {
    if (options.shard) std::tie(selection.shard, selection.shards) = parseShard(*options.shard);
  } catch (const std::invalid_argument& error) {
    printError(error.what());
    return std::nullopt;
  }
  if (options.stride) {
    selection.stride = *options.stride;
    std::optional<int> index = options.index;
    try {
      if (!index) index = indexFromEnvironment();
    } catch (const std::invalid_argument& error) {
      printError(std::string("--stride: ") + error.what());
      return std::nullopt;
    }
    if (!index) {
      printError("--stride: no --index, and neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set");
      return std::nullopt;
    }
    if (*index >= selection.stride) {
      printError("--index " + std::to_string(*index) + " is not below --stride " + std::to_string(selection.stride) +
                 " (indexes count from 0: a Slurm array --array=0-" + std::to_string(selection.stride - 1) + ")");
      return std::nullopt;
    }
    selection.index = *index;
  }
  return selectEntries(std::move(entries), selection);
}

}  // namespace

int runRender(const RenderCommandOptions& options) {
  installStopSignalHandlers();
  if (options.json) useJsonDiagnostics();
  if (const std::optional<std::string> unknown = render::unknownWarningKind(options.failOn)) {
    std::string kinds = "all";
    std::string previousGroup;
    for (const std::string& code : render::warningCodes()) {  // a group's codes are adjacent
      const std::string group = code.substr(0, code.find('.'));
      if (group != code && group != previousGroup) kinds.append(", ").append(group);
      previousGroup = group;
      kinds.append(", ").append(code);
    }
    printError("--fail-on: no warning kind \"" + *unknown + "\"; the kinds: " + kinds);
    return kExitUsage;
  }
  const bool terminal = isatty(STDERR_FILENO) == 1;
  ProgressMode progressMode = terminal ? ProgressMode::Bar : ProgressMode::Off;
  if (options.progress == "on") progressMode = terminal ? ProgressMode::Bar : ProgressMode::Lines;
  if (options.progress == "lines") progressMode = ProgressMode::Lines;
  if (options.progress == "json") progressMode = ProgressMode::Json;
  if (options.progress == "off") progressMode = ProgressMode::Off;
  // --quiet and JSON diagnostics leave no room for a bar or lines on stderr; asked for, JSON progress goes with them.
  if ((options.quiet || options.json) && progressMode != ProgressMode::Json) progressMode = ProgressMode::Off;
  std::optional<std::vector<BatchEntry>> entries = batchEntries(options);
  if (!entries) return kExitUsage;
  std::unique_ptr<ResultsFile> results;
  if (options.results) {
    try {
      results = std::make_unique<ResultsFile>(*options.results);
    } catch (const IoError& error) {
      printError(error.what());
      return error.transient() ? kExitTemporaryFailure : kExitFailure;
    }
  }
  std::vector<DepfileRule> rules;
  const RenderRecords records{results.get(), options.depfile ? &rules : nullptr};
  int status = kExitSuccess;
  for (const BatchEntry& entry : *entries) {
    if (cancellationSignal()) break;
    status = combinedStatus(status, renderEntry(entry, optionsForEntry(options, entry.options), progressMode, records));
    if (status > 128) break;  // stopped by a signal
  }
  if (const int signalNumber = cancellationSignal()) status = exitStatusForSignal(signalNumber);
  if (options.depfile) {  // the rules of what was rendered, even when the run stopped: make redoes the rest
    try {
      writeDepfile(*options.depfile, rules);
    } catch (const IoError& error) {
      printError(error.what());
      if (status <= 128) status = combinedStatus(status, error.transient() ? kExitTemporaryFailure : kExitFailure);
    }
  }
  return status;
}

RegisteredCommand registerRenderCommand(CLI::App& app) {
  const auto options = std::make_shared<RenderCommandOptions>();
  CLI::App* command = app.add_subcommand("render", "validate, then render each session's outputs");
  command->add_option("SESSION", options->sessions, "session files");
  command->add_option("--manifest", options->manifest,
                      "FILE: one session per line, with its own --set, --variant, -o...; # comments; paths relative to FILE");
  command->add_option("--shard", options->shard, "K/N: render only the K-th of N deterministic shards (1-based)");
  CLI::Option* strideOption =
      command->add_option("--stride", options->stride, "S: of the shard, render every S-th session from --index")
          ->check(CLI::Range(1, 1000000000));
  command->add_option("--index", options->index,
                      "I: 0..S-1 (default: SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX)")
      ->check(CLI::Range(0, 1000000000))
      ->needs(strideOption);
  CLI::Option* depfileOption = command->add_option(
      "--depfile", options->depfile, "FILE: write a Makefile-syntax depfile: the outputs depend on the session and the files it reads");
  CLI::Option* resultsOption =
      command->add_option("--results", options->results, "FILE: append one JSON line per render (for batch collect)");
  const CLI::Validator nonEmpty(
      [](const std::string& value) { return value.empty() ? std::string("an empty folder name") : std::string(); }, "DIR");
  command->add_option("-o,--output-dir", options->outputDir, "output folder (replaces outputs.dir)")->check(nonEmpty);
  command->add_option("--set", options->assignments, "PATH=VALUE: change one value before rendering (repeatable)")
      ->allow_extra_args(false);
  CLI::Option* variantOption =
      command->add_option("--variant", options->variants, "render only this variant (repeatable)")->allow_extra_args(false);
  command->add_flag("--no-variants", options->noVariants, "render only the main mix")->excludes(variantOption);
  CLI::Option* mixOnly = command->add_flag("--mix-only", options->mixOnly, "write the mix and report, no stems");
  command->add_flag("--stems-only", options->stemsOnly, "write the stems and report, no mix")->excludes(mixOnly);
  command->add_option("-j,--jobs", options->threads, "worker threads (default: all cores)")->check(CLI::Range(1, 256));
  command->add_option("--max-length-s", options->maxLengthS,
                      "SECONDS: refuse a render whose music runs longer; an automatic tail stops there")
      ->check(CLI::PositiveNumber);
  command->add_option("--plugin-timeout-s", options->pluginTimeoutS,
                      "SECONDS: stop a render when one LV2 plugin call runs longer (default 120)")
      ->check(CLI::Range(0.1, 86400.0));
  command->add_flag("-q,--quiet", options->quiet, "print only errors and warnings");
  const auto progress = std::make_shared<std::string>();
  const auto noProgress = std::make_shared<bool>(false);
  CLI::Option* progressOption =
      command->add_flag("--progress{on}", *progress,
                        "progress even when stderr is not a terminal: a line every 5 s; =lines for lines on a terminal "
                        "too, =json for JSON lines (phase, frames done, frames total)")
          ->check(CLI::IsMember({"on", "lines", "json"}));
  command->add_flag("--no-progress", *noProgress, "never show progress")->excludes(progressOption);
  command->add_flag("--dry-run", options->dryRun, "validate and list what would be written; write nothing")
      ->excludes(resultsOption)
      ->excludes(depfileOption);
  command->add_flag("--strict", options->strict, "every warning is an error: exit 1, outputs not kept");
  command->add_option("--fail-on", options->failOn, "KIND[,KIND]: warnings of these kinds are errors (codes: docs/report.md)")
      ->delimiter(',')
      ->allow_extra_args(false);
  command->add_flag("--json", options->json, "diagnostics as JSON lines on stderr, one object per problem");
  command->add_flag("--clean", options->clean,
                    "first remove what earlier renders wrote into the output folder (never files mixdown did not write)");
  command->add_flag("--force", options->force,
                    "render and write every output, even those up to date (made by the same session, inputs and version)");
  // Hidden: each plan rewrite switched off, to compare the bits and the speed with and without it.
  command->add_flag("--no-lane-groups", options->noLaneGroups)->group("");
  command->add_flag("--no-placed-sums", options->noPlacedSums)->group("");
  return {command, [options, progress, noProgress] {
            if (!progress->empty()) options->progress = *progress;
            if (*noProgress) options->progress = "off";
            return runRender(*options);
          }};
}

}  // namespace mixdown::cli
