// mixdown: command-line wiring only; each command lives in src/cli/.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <new>

#include "mixdown/cli/analyze_command.h"
#include "mixdown/cli/diff_command.h"
#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/graph_command.h"
#include "mixdown/cli/messages.h"
#include "mixdown/cli/render_command.h"
#include "mixdown/cli/schema_command.h"
#include "mixdown/cli/standard_output.h"
#include "mixdown/cli/stop_signals.h"
#include "mixdown/cli/validate_command.h"
#include "mixdown/session/validate.h"
#include "mixdown/util/cancellation.h"
#include "mixdown_revision.h"  // generated at build time: MIXDOWN_REVISION

int main(int argc, char** argv) {
  using namespace mixdown::cli;
  ignoreFileSizeSignal();
  StandardOutput standardOutput;
  CLI::App app{"mixdown: a headless batch mixer. Renders JSON sessions to a mix, stems and a report.", "mixdown"};
  std::string versionText = "mixdown ";
  versionText.append(MIXDOWN_VERSION).append(" (git ").append(MIXDOWN_REVISION).append(")");
  app.set_version_flag("--version", versionText);
  app.require_subcommand(1);

  RenderCommandOptions render;
  CLI::App* renderCommand = app.add_subcommand("render", "validate, then render each session's outputs");
  renderCommand->add_option("SESSION", render.sessions, "session files")->required();
  const CLI::Validator nonEmpty(
      [](const std::string& value) { return value.empty() ? std::string("an empty folder name") : std::string(); }, "DIR");
  renderCommand->add_option("-o,--output-dir", render.outputDir, "output folder (replaces outputs.dir)")->check(nonEmpty);
  renderCommand->add_option("--set", render.assignments, "PATH=VALUE: change one value before rendering (repeatable)")
      ->allow_extra_args(false);
  CLI::Option* variantOption =
      renderCommand->add_option("--variant", render.variants, "render only this variant (repeatable)")->allow_extra_args(false);
  renderCommand->add_flag("--no-variants", render.noVariants, "render only the main mix")->excludes(variantOption);
  CLI::Option* mixOnly = renderCommand->add_flag("--mix-only", render.mixOnly, "write the mix and report, no stems");
  renderCommand->add_flag("--stems-only", render.stemsOnly, "write the stems and report, no mix")->excludes(mixOnly);
  renderCommand->add_option("-j,--jobs", render.threads, "worker threads (default: all cores)")->check(CLI::Range(1, 256));
  renderCommand->add_flag("-q,--quiet", render.quiet, "print only errors and warnings");
  bool progress = false;
  bool noProgress = false;
  CLI::Option* progressOption = renderCommand->add_flag("--progress", progress, "show progress even when stderr is not a terminal");
  renderCommand->add_flag("--no-progress", noProgress, "never show progress")->excludes(progressOption);
  renderCommand->add_flag("--dry-run", render.dryRun, "validate and list what would be written; write nothing");

  std::vector<std::string> validateSessions;
  std::vector<std::string> validateAssignments;
  bool validateQuiet = false;
  CLI::App* validateCommand = app.add_subcommand("validate", "check sessions and their audio files without rendering");
  validateCommand->add_option("SESSION", validateSessions, "session files")->required();
  validateCommand->add_option("--set", validateAssignments, "PATH=VALUE: change one value first (repeatable)")
      ->allow_extra_args(false);
  validateCommand->add_flag("-q,--quiet", validateQuiet, "print only problems");

  GraphCommandOptions graph;
  CLI::App* graphCommand = app.add_subcommand("graph", "print the processing graph, with latencies, or its execution plan");
  graphCommand->add_option("SESSION", graph.session, "session file")->required();
  CLI::Option* formatOption = graphCommand->add_option("--format", graph.format, "text (default) or dot (Graphviz)")
      ->check(CLI::IsMember({"text", "dot"}));
  graphCommand->add_option("--set", graph.assignments, "PATH=VALUE: change one value first (repeatable)")
      ->allow_extra_args(false);
  graphCommand->add_flag("--plan", graph.plan, "print the execution plan (levels, steps, lane groups, edges, buffers)")
      ->excludes(formatOption);
  // Hidden: each plan rewrite switched off, to see and compare what it does (the output is the same bits).
  bool graphNoLaneGroups = false;
  bool graphNoPlacedSums = false;
  graphCommand->add_flag("--no-lane-groups", graphNoLaneGroups)->group("");
  graphCommand->add_flag("--no-placed-sums", graphNoPlacedSums)->group("");

  std::vector<std::string> analyzeFiles;
  bool analyzeJson = false;
  CLI::App* analyzeCommand =
      app.add_subcommand("analyze", "measure audio files: loudness, loudness range, true peak, RMS, DC offset, correlation");
  analyzeCommand->add_option("FILE", analyzeFiles, "audio files")->required();
  analyzeCommand->add_flag("--json", analyzeJson, "print a JSON array with one object per file");

  DiffCommandOptions diff;
  CLI::App* diffCommand = app.add_subcommand(
      "diff", "compare two audio files, or two render folders file by file: residual, first difference, loudness");
  diffCommand->add_option("A", diff.pathA, "audio file or render folder")->required();
  diffCommand->add_option("B", diff.pathB, "audio file or render folder")->required();
  diffCommand
      ->add_option("--threshold-db", diff.thresholdDb,
                   "largest residual peak max |b - a| in dBFS still within the threshold (-inf: none)")
      ->capture_default_str();
  diffCommand->add_flag("--json", diff.json, "print the comparison as JSON");

  CLI::App* schemaCommand = app.add_subcommand("schema", "print the JSON Schema of the session format");

  std::string helpTopic;
  CLI::App* helpCommand = app.add_subcommand("help", "show help for mixdown or a command");
  helpCommand->add_option("COMMAND", helpTopic, "command");

  // CLI11 reads an unknown command as a stray argument; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string command = argv[1];
    std::vector<std::string> commands;
    for (const CLI::App* subcommand : app.get_subcommands({})) commands.push_back(subcommand->get_name());
    if (std::find(commands.begin(), commands.end(), command) == commands.end()) {
      std::string message = "unknown command \"" + command + "\"";
      if (const auto suggestion = mixdown::session::closestMatch(command, commands))
        message += " (did you mean \"" + *suggestion + "\"?)";
      printError(message);
      std::cerr << "Run 'mixdown help' for the commands.\n";
      return kExitUsage;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return standardOutput.finish(app.exit(help));
  } catch (const CLI::CallForVersion& version) {
    return standardOutput.finish(app.exit(version));
  } catch (const CLI::ParseError& error) {
    printError(error.what());
    std::cerr << "Run 'mixdown help' for usage.\n";
    return kExitUsage;
  }

  const auto runCommand = [&]() -> int {
    if (renderCommand->parsed()) {
      if (progress) render.progress = true;
      if (noProgress) render.progress = false;
      return runRender(render);
    }
    if (validateCommand->parsed()) return runValidate(validateSessions, validateAssignments, validateQuiet);
    if (schemaCommand->parsed()) return runSchema();
    if (analyzeCommand->parsed()) return runAnalyze(analyzeFiles, analyzeJson);
    if (diffCommand->parsed()) return runDiff(diff);
    if (graphCommand->parsed()) {
      graph.planOptions = {!graphNoLaneGroups, !graphNoPlacedSums};
      return runGraph(graph);
    }
    if (helpCommand->parsed()) {
      // app.help() would answer for the parsed "help" command; ask the formatter directly.
      const auto formatter = app.get_formatter();
      if (helpTopic.empty()) {
        std::cout << formatter->make_help(&app, "mixdown", CLI::AppFormatMode::Normal);
        return kExitSuccess;
      }
      try {
        std::cout << formatter->make_help(app.get_subcommand(helpTopic), "mixdown " + helpTopic, CLI::AppFormatMode::Normal);
        return kExitSuccess;
      } catch (const CLI::OptionNotFound&) {
        printError("no command \"" + helpTopic + "\"");
        return kExitUsage;
      }
    }
    return kExitUsage;
  };

  try {
    return standardOutput.finish(runCommand());
  } catch (const mixdown::Cancelled& stop) {
    printError(std::string("stopped: ") + stop.what());
    return exitStatusForSignal(stop.signalNumber());
  } catch (const std::bad_alloc&) {
    printError("out of memory");
    return kExitTemporaryFailure;
  }
}
