#include "mixdown/cli/validate_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/render/render_length.h"
#include "mixdown/render/render_warnings.h"
#include "mixdown/session/check_sources.h"
#include "mixdown/session/load.h"
#include "mixdown/session/output_plan.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

int runValidate(const std::vector<std::string>& sessions, const std::vector<std::string>& assignments, bool quiet, bool json) {
  if (json) useJsonDiagnostics();
  int status = kExitSuccess;
  for (const auto& file : sessions) {
    session::LoadResult result = session::loadSession(file, {assignments, true});
    std::optional<render::RenderLength> length;
    std::uint64_t bytes = 0;
    if (result.loaded) {
      const session::LoadedSession& loaded = *result.loaded;
      const session::OutputPlan plan = session::planOutputs(loaded.session, {}, result.diagnostics);
      const std::int64_t contentEnd = session::contentEndFrame(loaded.session, loaded.sources, loaded.sampleRate);
      length = render::renderLength(loaded.session, contentEnd, loaded.sampleRate);
      render::checkOutputSizes(plan, length->maxFrames, loaded.sampleRate, result.diagnostics);
      for (const auto& planned : plan.files) bytes += render::plannedFileBytes(planned, length->maxFrames, loaded.sampleRate);
      // A unit slip passes every check but the length (and the size it leads to): said before hours go into it.
      if (const auto longRender = render::lengthWarning(loaded.session, loaded.sources, loaded.sampleRate, *length))
        printProblem("warning", file, file, longRender->pointer, render::warning_code::kLongRender, longRender->message);
    }
    if (!result.diagnostics.empty()) {
      printDiagnostics(file, result.diagnostics);
      status = kExitFailure;
      continue;
    }
    const auto& loaded = *result.loaded;
    if (!quiet) {
      char size[48];
      std::snprintf(size, sizeof size, "%.1f MB", static_cast<double>(bytes) / 1e6);
      std::cout << printableText(file) << ": ok (" << loaded.session.tracks.size() << " tracks, " << loaded.session.buses.size()
                << " buses, " << loaded.sampleRate << " Hz; runs "
                << render::durationText(static_cast<double>(length->maxFrames) / loaded.sampleRate)
                << (length->fixedFrames ? "" : " at most") << ", its files " << size << " at most)\n";
    }
  }
  return status;
}

RegisteredCommand registerValidateCommand(CLI::App& app) {
  struct Options {
    std::vector<std::string> sessions;
    std::vector<std::string> assignments;
    bool quiet = false;
    bool json = false;
  };
  const auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("validate", "check sessions and their audio files without rendering");
  command->add_option("SESSION", options->sessions, "session files")->required();
  command->add_option("--set", options->assignments, "PATH=VALUE: change one value first (repeatable)")
      ->allow_extra_args(false);
  command->add_flag("-q,--quiet", options->quiet, "print only problems");
  command->add_flag("--json", options->json, "problems as JSON lines on stderr, one object per problem");
  return {command, [options] { return runValidate(options->sessions, options->assignments, options->quiet, options->json); }};
}

}  // namespace mixdown::cli
