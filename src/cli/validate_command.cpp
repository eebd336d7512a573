#include "mixdown/cli/validate_command.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/render/render_length.h"
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
    if (result.loaded) {
      const session::LoadedSession& loaded = *result.loaded;
      const session::OutputPlan plan = session::planOutputs(loaded.session, {}, result.diagnostics);
      const std::int64_t contentEnd = session::contentEndFrame(loaded.session, loaded.sources, loaded.sampleRate);
      render::checkOutputSizes(plan, render::renderLength(loaded.session, contentEnd, loaded.sampleRate).maxFrames,
                               loaded.sampleRate, result.diagnostics);
    }
    if (!result.diagnostics.empty()) {
      printDiagnostics(file, result.diagnostics);
      status = kExitFailure;
      continue;
    }
    if (!quiet) {
      const auto& loaded = *result.loaded;
      std::cout << printableText(file) << ": ok (" << loaded.session.tracks.size() << " tracks, " << loaded.session.buses.size()
                << " buses, " << loaded.sampleRate << " Hz)\n";
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
