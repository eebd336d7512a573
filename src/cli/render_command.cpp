#include "mixdown/cli/render_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <cstdio>
#include <iostream>
#include <thread>

#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/cli/stop_signals.h"
#include "mixdown/render/render_session.h"
#include "mixdown/session/load.h"
#include "mixdown/session/overrides.h"
#include "mixdown/util/cancellation.h"
#include "mixdown/util/error.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

namespace {

using json = nlohmann::ordered_json;

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
  std::cout << '\n';
}

struct RenderJob {
  std::string variant;  // "" for the main render
};

/** Renders one (session, variant); its exit status (messages printed). */
int renderOne(const std::string& file, const session::LoadedSession& loaded, const RenderJob& job,
               const RenderCommandOptions& options, bool showProgress) {
  render::RenderOptions renderOptions;
  if (options.outputDir) renderOptions.outputDir = std::filesystem::path(*options.outputDir);
  renderOptions.variant = job.variant;
  renderOptions.mix = !options.stemsOnly;
  renderOptions.stems = !options.mixOnly;
  renderOptions.dryRun = options.dryRun;
  renderOptions.clean = options.clean;
  renderOptions.planOptions = {!options.noLaneGroups, !options.noPlacedSums};
  renderOptions.failOn = options.strict ? std::vector<std::string>{"all"} : options.failOn;
  renderOptions.threads = options.threads > 0 ? options.threads
                                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const std::string label = file + (job.variant.empty() ? "" : " [" + job.variant + "]");
  renderOptions.notice = [label](const std::string& message) { printNotice(label + ": " + message); };
  if (showProgress)
    renderOptions.progress = [shown = printableText(label)](double fraction) {
      std::fprintf(stderr, "\r%s: %3d%%", shown.c_str(), static_cast<int>(fraction * 100.0));
    };
  const auto started = std::chrono::steady_clock::now();
  try {
    const render::RenderResult result = render::renderSession(loaded, renderOptions);
    if (showProgress) std::fprintf(stderr, "\r%s: done\n", label.c_str());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (options.dryRun) {
      if (const int signalNumber = cancellationSignal()) return exitStatusForSignal(signalNumber);
      if (!options.quiet) {
        for (const auto& path : result.report.at("would_write")) std::cout << printableText(label) << ": would write " << printableText(path.get<std::string>()) << '\n';
        for (const auto& name : result.report.at("would_remove"))
          std::cout << printableText(label) << ": would remove " << printableText((result.outputDir / name.get<std::string>()).generic_string()) << '\n';
      }
      return kExitSuccess;
    }
    for (const auto& warning : result.warnings) printProblem("warning", file, label, warning.pointer, warning.code, warning.message);
    if (!options.quiet) printSummary(file, result, seconds);
    return kExitSuccess;
  } catch (const render::OutputProblems& problems) {
    if (showProgress) std::fprintf(stderr, "\n");
    printDiagnostics(label, problems.diagnostics(), "outputs.invalid", file);  // "song.json [variant]: /outputs/...": which render
  } catch (const render::WarningsAsErrors& failed) {
    if (showProgress) std::fprintf(stderr, "\n");
    for (const auto& warning : failed.failing()) printProblem("error", file, label, warning.pointer, warning.code, warning.message);
    for (const auto& warning : failed.others()) printProblem("warning", file, label, warning.pointer, warning.code, warning.message);
    printProblem("error", file, label, "", "render.warnings-as-errors",
                 std::string(options.strict ? "--strict" : "--fail-on") + ": warnings are errors; nothing was written");
  } catch (const Cancelled& stop) {
    if (showProgress) std::fprintf(stderr, "\n");
    printProblem("error", file, label, "", "render.stopped", std::string("render ") + stop.what() + "; its outputs were not written");
    return exitStatusForSignal(stop.signalNumber());
  } catch (const IoError& error) {
    if (showProgress) std::fprintf(stderr, "\n");
    printProblem("error", file, label, "", error.transient() ? "io.transient" : "io.error", error.what());
    return error.transient() ? kExitTemporaryFailure : kExitFailure;
  } catch (const std::bad_alloc&) {
    if (showProgress) std::fprintf(stderr, "\n");
    printProblem("error", file, label, "", "render.out-of-memory", "out of memory; nothing was written");
    return kExitTemporaryFailure;
  } catch (const std::exception& error) {
    if (showProgress) std::fprintf(stderr, "\n");
    printProblem("error", file, label, "", "render.failed", error.what());
  }
  return kExitFailure;
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

/** The status of several renders: a usage error outweighs a failure, which outweighs one a retry may cure (75). */
int combinedStatus(int sofar, int next) {
  if (sofar == kExitUsage || next == kExitUsage) return kExitUsage;
  if (sofar == kExitFailure || next == kExitFailure) return kExitFailure;
  return next != kExitSuccess ? next : sofar;
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
  // JSON lines on stderr leave no room for a progress bar there.
  const bool showProgress = !options.quiet && !options.json && options.progress.value_or(isatty(STDERR_FILENO) == 1);
  int status = kExitSuccess;
  for (const auto& file : options.sessions) {
    if (const int signalNumber = cancellationSignal()) return exitStatusForSignal(signalNumber);
    session::LoadResult result = session::loadSession(file, {options.assignments, true});
    if (const int signalNumber = cancellationSignal()) {
      printError(file + ": render " + Cancelled(signalNumber).what() + " while loading; nothing was written");
      return exitStatusForSignal(signalNumber);
    }
    if (!result.loaded) {
      printDiagnostics(file, result.diagnostics);
      status = kExitFailure;
      continue;
    }
    const session::LoadedSession& loaded = *result.loaded;
    if (const std::optional<std::string> unknown = unknownVariantMessage(loaded.session, options.variants)) {
      printProblem("error", file, file, "", "usage.variant", *unknown);
      status = combinedStatus(status, kExitUsage);
      continue;
    }
    std::vector<RenderJob> jobs;
    if (options.variants.empty()) jobs.push_back({""});
    if (!options.noVariants)
      for (const auto& [name, variant] : loaded.session.variants)
        if (options.variants.empty() || std::find(options.variants.begin(), options.variants.end(), name) != options.variants.end())
          jobs.push_back({name});
    for (const auto& job : jobs) {
      if (const int signalNumber = cancellationSignal()) return exitStatusForSignal(signalNumber);
      if (job.variant.empty()) {
        status = combinedStatus(status, renderOne(file, loaded, job, options, showProgress));
        continue;
      }
      session::Diagnostics variantProblems;
      nlohmann::json changed = session::applyVariant(loaded.document, job.variant, variantProblems);
      session::LoadResult variantResult = session::loadDocument(std::move(changed), file, {options.assignments, true});
      variantProblems.append(variantResult.diagnostics);
      if (!variantResult.loaded || !variantProblems.empty()) {
        printDiagnostics(file, variantProblems);
        status = kExitFailure;
        continue;
      }
      status = combinedStatus(status, renderOne(file, *variantResult.loaded, job, options, showProgress));
    }
  }
  return status;
}

RegisteredCommand registerRenderCommand(CLI::App& app) {
  const auto options = std::make_shared<RenderCommandOptions>();
  CLI::App* command = app.add_subcommand("render", "validate, then render each session's outputs");
  command->add_option("SESSION", options->sessions, "session files")->required();
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
  command->add_flag("-q,--quiet", options->quiet, "print only errors and warnings");
  const auto progress = std::make_shared<bool>(false);
  const auto noProgress = std::make_shared<bool>(false);
  CLI::Option* progressOption = command->add_flag("--progress", *progress, "show progress even when stderr is not a terminal");
  command->add_flag("--no-progress", *noProgress, "never show progress")->excludes(progressOption);
  command->add_flag("--dry-run", options->dryRun, "validate and list what would be written; write nothing");
  command->add_flag("--strict", options->strict, "every warning is an error: exit 1, outputs not kept");
  command->add_option("--fail-on", options->failOn, "KIND[,KIND]: warnings of these kinds are errors (codes: docs/report.md)")
      ->delimiter(',')
      ->allow_extra_args(false);
  command->add_flag("--json", options->json, "diagnostics as JSON lines on stderr, one object per problem");
  command->add_flag("--clean", options->clean,
                    "first remove what earlier renders wrote into the output folder (never files mixdown did not write)");
  // Hidden: each plan rewrite switched off, to compare the bits and the speed with and without it.
  command->add_flag("--no-lane-groups", options->noLaneGroups)->group("");
  command->add_flag("--no-placed-sums", options->noPlacedSums)->group("");
  return {command, [options, progress, noProgress] {
            if (*progress) options->progress = true;
            if (*noProgress) options->progress = false;
            return runRender(*options);
          }};
}

}  // namespace mixdown::cli
