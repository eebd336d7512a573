#include "mixdown/cli/render_entry.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <thread>

#include "mixdown/cli/contained_render.h"
#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/cli/progress_printer.h"
#include "mixdown/cli/stop_signals.h"
#include "mixdown/io/output_record_name.h"
#include "mixdown/render/render_length.h"
#include "mixdown/render/render_session.h"
#include "mixdown/session/input_files.h"
#include "mixdown/session/load.h"
#include "mixdown/session/output_plan.h"
#include "mixdown/session/overrides.h"
#include "mixdown/util/cancellation.h"
#include "mixdown/util/error.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

namespace {

using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

std::string formatDb(const json& value) {
  if (value.is_null()) return "-inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value.get<double>());
  return text;
}

void printSummary(const std::string& file, const render::RenderResult& result, double seconds) {
  const json& report = result.report;
  std::size_t stems = 0;
  const json* mix = nullptr;
  for (const auto& output : report.at("outputs")) {
    if (output.at("kind") == "stem") ++stems;
    else mix = &output;
  }
  std::cout << printableText(file);
  if (report.contains("variant")) std::cout << " [" << report.at("variant").get<std::string>() << "]";
  char timing[96];
  std::snprintf(timing, sizeof timing, ": %.2f s at %d Hz in %.2f s -> ", report.at("duration_s").get<double>(),
                report.at("sample_rate").get<int>(), seconds);
  std::cout << timing << printableText(result.outputDir.generic_string()) << "/";
  if (mix) std::cout << " (" << printableText(mix->at("file").get<std::string>()) << ": peak " << formatDb(mix->at("sample_peak_dbfs"))
                     << " dBFS, RMS " << formatDb(mix->at("rms_dbfs")) << " dBFS)";
  if (stems) std::cout << ", " << stems << " stem" << (stems == 1 ? "" : "s");
  const std::size_t kept = report.contains("kept") ? report.at("kept").size() : 0;
  if (kept && report.at("written").empty()) std::cout << ", up to date";
  else if (kept) std::cout << ", " << kept << " file" << (kept == 1 ? "" : "s") << " up to date kept";
  std::cout << '\n';
}

/** What a dry run's report says of the render's length and the files' size, for people. */
std::string dryRunLength(const json& report) {
  const double content = report.at("content_s").get<double>();
  const double most = report.at("max_length_s").get<double>();
  std::string text = report.at("length_s").is_null()
                         ? "runs " + render::durationText(content) + " and an automatic tail, " + render::durationText(most) + " at most"
                         : "runs " + render::durationText(most);
  char size[48];
  std::snprintf(size, sizeof size, "%.1f MB", static_cast<double>(report.at("bytes_at_most").get<std::uint64_t>()) / 1e6);
  return text + "; the files it writes take " + size + " at most";
}

/** The first of a set of diagnostics, as printed ("FILE: POINTER: MESSAGE"), for the results line. */
std::string firstProblem(const std::string& label, const session::Diagnostics& diagnostics) {
  const std::vector<std::string> lines = diagnostics.format(label);
  return lines.empty() ? std::string() : lines.front();
}

/** Renders one (session, variant) ("" the main mix); its status and report (messages printed). */
RenderOutcome renderOne(const std::string& file, const session::LoadedSession& loaded, const std::string& variant,
                        const RenderCommandOptions& options, ProgressMode progressMode) {
  render::RenderOptions renderOptions;
  if (options.outputDir) renderOptions.outputDir = std::filesystem::path(*options.outputDir);
  renderOptions.variant = variant;
  renderOptions.mix = !options.stemsOnly;
  renderOptions.stems = !options.mixOnly;
  renderOptions.dryRun = options.dryRun;
  renderOptions.clean = options.clean;
  renderOptions.force = options.force;
  renderOptions.maxLengthS = options.maxLengthS;
  renderOptions.planOptions = {!options.noLaneGroups, !options.noPlacedSums};
  renderOptions.failOn = options.strict ? std::vector<std::string>{"all"} : options.failOn;
  renderOptions.threads = options.threads > 0 ? options.threads
                                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const std::string label = file + (variant.empty() ? "" : " [" + variant + "]");
  renderOptions.notice = [label](const std::string& message) { printNotice(label + ": " + message); };
  ProgressPrinter progress(progressMode, label);
  if (progressMode != ProgressMode::Off)
    renderOptions.progress = [&progress](const render::RenderProgress& reached) { progress.update(reached); };
  const auto started = Clock::now();
  RenderOutcome outcome;
  const auto failed = [&](int status, const std::string& message) {
    outcome.exitStatus = status;
    if (outcome.error.empty()) outcome.error = label + ": " + message;
    return outcome;
  };
  try {
    const render::RenderResult result = render::renderSession(loaded, renderOptions);
    progress.finish();
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    outcome.outputDir = result.outputDir.generic_string();
    if (options.dryRun) {
      if (const int signalNumber = cancellationSignal()) return failed(exitStatusForSignal(signalNumber), "stopped");
      if (!options.quiet) {
        std::cout << printableText(label) << ": " << dryRunLength(result.report) << '\n';
        for (const auto& path : result.report.at("would_write")) std::cout << printableText(label) << ": would write " << printableText(path.get<std::string>()) << '\n';
        for (const auto& path : result.report.at("would_keep")) std::cout << printableText(label) << ": would keep " << printableText(path.get<std::string>()) << " (up to date)\n";
        for (const auto& name : result.report.at("would_remove"))
          std::cout << printableText(label) << ": would remove " << printableText((result.outputDir / name.get<std::string>()).generic_string()) << '\n';
      }
      return outcome;
    }
    for (const auto& warning : result.warnings) printProblem("warning", file, label, warning.pointer, warning.code, warning.message);
    if (!options.quiet) printSummary(file, result, seconds);
    outcome.report = result.report;
    outcome.written = result.written;
    return outcome;
  } catch (const render::OutputProblems& problems) {
    progress.interrupt();
    printDiagnostics(label, problems.diagnostics(), "outputs.invalid", file);  // "song.json [variant]: /outputs/...": which render
    outcome.error = firstProblem(label, problems.diagnostics());
  } catch (const render::WarningsAsErrors& failedWarnings) {
    progress.interrupt();
    for (const auto& warning : failedWarnings.failing()) printProblem("error", file, label, warning.pointer, warning.code, warning.message);
    for (const auto& warning : failedWarnings.others()) printProblem("warning", file, label, warning.pointer, warning.code, warning.message);
    const std::string message = std::string(options.strict ? "--strict" : "--fail-on") + ": warnings are errors; nothing was written";
    printProblem("error", file, label, "", "render.warnings-as-errors", message);
    return failed(kExitFailure, message);
  } catch (const Cancelled& stop) {
    progress.interrupt();
    const std::string message = std::string("render ") + stop.what() + "; its outputs were not written";
    printProblem("error", file, label, "", "render.stopped", message);
    return failed(exitStatusForSignal(stop.signalNumber()), message);
  } catch (const IoError& error) {
    progress.interrupt();
    printProblem("error", file, label, "", error.transient() ? "io.transient" : "io.error", error.what());
    return failed(error.transient() ? kExitTemporaryFailure : kExitFailure, error.what());
  } catch (const std::bad_alloc&) {
    progress.interrupt();
    printProblem("error", file, label, "", "render.out-of-memory", "out of memory; nothing was written");
    return failed(kExitTemporaryFailure, "out of memory; nothing was written");
  } catch (const std::exception& error) {
    progress.interrupt();
    printProblem("error", file, label, "", "render.failed", error.what());
    return failed(kExitFailure, error.what());
  }
  return failed(kExitFailure, "the outputs are invalid");
}

/** renderOne, in a watched child process when the session has LV2 plugins (cli/contained_render.h). */
RenderOutcome renderWatched(const std::string& file, const session::LoadedSession& loaded, const std::string& variant,
                            const RenderCommandOptions& options, ProgressMode progressMode) {
  const auto render = [&] { return renderOne(file, loaded, variant, options, progressMode); };
  if (!usesPlugins(loaded.session)) return render();
  session::Diagnostics problems;
  const std::optional<std::filesystem::path> dirOverride =
      options.outputDir ? std::optional<std::filesystem::path>(*options.outputDir) : std::nullopt;
  const session::OutputPlan plan =
      session::planOutputs(loaded.session, {dirOverride, variant, !options.stemsOnly, !options.mixOnly}, problems);
  if (!problems.empty()) return render();  // refused before any plugin runs
  const std::string label = file + (variant.empty() ? "" : " [" + variant + "]");
  return renderContained(file, label, plan, options.pluginTimeoutS, render);
}

/** A usage error naming each --variant the session does not have, and the variants it has; none if all exist. */
std::optional<std::string> unknownVariantMessage(const session::Session& session, const std::vector<std::string>& wanted) {
  std::string unknown;
  for (const auto& name : wanted)
    if (!session.variants.count(name)) unknown.append(unknown.empty() ? "" : ", ").append("\"" + name + "\"");
  if (unknown.empty()) return std::nullopt;
  std::string message = "--variant: no variant named ";
  message.append(unknown).append("; ");
  if (session.variants.empty()) return message.append("the session has no variants");
  message.append("its variants: ");
  bool first = true;
  for (const auto& [name, variant] : session.variants) {
    message.append(first ? "" : ", ").append(name);
    first = false;
  }
  return message;
}

/**
 * Keeps a depfile rule for a render that wrote files, and appends its results line; a failure to write that
 * fails the render's status.
 */
int record(const RenderRecords& records, const BatchEntry& entry, const std::string& variant, int renders,
           Clock::time_point started, const RenderOutcome& outcome, const session::Session* session = nullptr) {
  if (records.depfile && session && !outcome.written.empty()) {
    DepfileRule rule{{}, session::inputFiles(*session)};
    for (const auto& path : outcome.written)
      if (path.filename() != io::kOutputRecordName) rule.targets.push_back(path);
    records.depfile->push_back(std::move(rule));
  }
  ResultsFile* results = records.results;
  if (!results) return outcome.exitStatus;
  try {
    results->append(resultLine(entry, variant, renders, std::chrono::duration<double>(Clock::now() - started).count(), outcome));
  } catch (const IoError& error) {
    printError(error.what());
    return combinedStatus(outcome.exitStatus, error.transient() ? kExitTemporaryFailure : kExitFailure);
  }
  return outcome.exitStatus;
}

}  // namespace

RenderCommandOptions optionsForEntry(const RenderCommandOptions& commandLine, const EntryOptions& line) {
  RenderCommandOptions options = commandLine;
  options.assignments.insert(options.assignments.end(), line.assignments.begin(), line.assignments.end());
  if (line.variants) {
    options.variants = *line.variants;
    options.noVariants = false;
  }
  if (line.noVariants) {
    options.noVariants = true;
    options.variants.clear();
  }
  if (line.mixOnly) options.stemsOnly = false;
  if (line.stemsOnly) options.mixOnly = false;
  options.mixOnly = options.mixOnly || line.mixOnly;
  options.stemsOnly = options.stemsOnly || line.stemsOnly;
  if (line.outputDir) options.outputDir = line.outputDir;
  return options;
}

int combinedStatus(int sofar, int next) {
  for (const int weightiest : {kExitTemporaryFailure, kExitUsage, kExitFailure})
    if (sofar == weightiest || next == weightiest) return weightiest;
  return next != kExitSuccess ? next : sofar;
}

int renderEntry(const BatchEntry& entry, const RenderCommandOptions& options, ProgressMode progressMode, const RenderRecords& records) {
  const std::string file = entry.file.generic_string();
  const auto started = Clock::now();
  session::LoadResult result = session::loadSession(entry.file, {options.assignments, true});
  if (const int signalNumber = cancellationSignal()) {
    printError(file + ": render " + Cancelled(signalNumber).what() + " while loading; nothing was written");
    return record(records, entry, "", 0, started, {exitStatusForSignal(signalNumber), file + ": stopped while loading", {}, {}, {}});
  }
  if (!result.loaded) {
    printDiagnostics(file, result.diagnostics);
    return record(records, entry, "", 0, started, {kExitFailure, firstProblem(file, result.diagnostics), {}, {}, {}});
  }
  const session::LoadedSession& loaded = *result.loaded;
  if (const std::optional<std::string> unknown = unknownVariantMessage(loaded.session, options.variants)) {
    printProblem("error", file, file, "", "usage.variant", *unknown);
    return record(records, entry, "", 0, started, {kExitUsage, file + ": " + *unknown, {}, {}, {}});
  }
  std::vector<std::string> variants;  // "" for the main mix
  if (options.variants.empty()) variants.push_back("");
  if (!options.noVariants)
    for (const auto& [name, variant] : loaded.session.variants)
      if (options.variants.empty() || std::find(options.variants.begin(), options.variants.end(), name) != options.variants.end())
        variants.push_back(name);
  const int renders = static_cast<int>(variants.size());
  int status = kExitSuccess;
  for (const std::string& variant : variants) {
    if (variant != variants.front()) {
      if (const int signalNumber = cancellationSignal()) return exitStatusForSignal(signalNumber);
    }
    const auto renderStarted = variant == variants.front() ? started : Clock::now();
    RenderOutcome outcome;
    std::optional<session::LoadResult> variantResult;
    if (variant.empty()) {
      outcome = renderWatched(file, loaded, variant, options, progressMode);
    } else {
      session::Diagnostics variantProblems;
      nlohmann::json changed = session::applyVariant(loaded.document, variant, variantProblems);
      variantResult = session::loadDocument(std::move(changed), entry.file, {options.assignments, true});
      variantProblems.append(variantResult->diagnostics);
      if (!variantResult->loaded || !variantProblems.empty()) {
        printDiagnostics(file, variantProblems);
        outcome = {kExitFailure, firstProblem(file, variantProblems), {}, {}, {}};
      } else {
        outcome = renderWatched(file, *variantResult->loaded, variant, options, progressMode);
      }
    }
    const session::Session* renderedSession =
        variant.empty() ? &loaded.session : (variantResult && variantResult->loaded ? &variantResult->loaded->session : nullptr);
    const int rendered = record(records, entry, variant, renders, renderStarted, outcome, renderedSession);
    if (rendered > 128) return rendered;  // stopped by a signal: the batch ends here
    status = combinedStatus(status, rendered);
  }
  return status;
}

}  // namespace mixdown::cli
