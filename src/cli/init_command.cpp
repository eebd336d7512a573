#include "mixdown/cli/init_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/session/starting_session.h"
#include "mixdown/util/error.h"

namespace mixdown::cli {

namespace {

namespace fs = std::filesystem;

/** Writes text to a fresh temporary beside target, then links it into place (refusing an existing target
    unless force, where it is renamed over it): the target is never half-written. */
bool writeSessionFile(const fs::path& target, const std::string& text, bool force) {
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string pattern = (folder / ".mixdown-init-XXXXXX").string();
  const int descriptor = mkstemp(pattern.data());
  if (descriptor < 0) {
    printError("cannot write in \"" + folder.string() + "\": " + std::strerror(errno));
    return false;
  }
  const fs::path temporary = pattern;
  const bool written = ::write(descriptor, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fchmod(descriptor, 0644) == 0 && ::fsync(descriptor) == 0;
  const int writeError = errno;
  ::close(descriptor);
  if (!written) {
    fs::remove(temporary);
    printError("cannot write \"" + target.string() + "\": " + std::strerror(writeError));
    return false;
  }
  const int placed = force ? ::rename(temporary.c_str(), target.c_str()) : ::link(temporary.c_str(), target.c_str());
  const int placeError = errno;
  std::error_code ignored;
  if (!force || placed != 0) fs::remove(temporary, ignored);
  if (placed == 0) return true;
  if (placeError == EEXIST) printError("\"" + target.string() + "\" exists; --force replaces it");
  else printError("cannot write \"" + target.string() + "\": " + std::strerror(placeError));
  return false;
}

}  // namespace

int runInit(const InitCommandOptions& options) {
  std::vector<fs::path> files;
  std::error_code error;
  if (options.inputs.size() == 1 && fs::is_directory(options.inputs.front(), error)) {
    files = session::audioFilesIn(options.inputs.front());
    if (files.empty()) {
      printError("no audio files in \"" + options.inputs.front() + "\"");
      return kExitFailure;
    }
  } else {
    for (const auto& input : options.inputs) {
      if (fs::is_directory(input, error)) {
        printError("\"" + input + "\" is a folder: give one folder, or audio files");
        return kExitUsage;
      }
      files.emplace_back(input);
    }
  }
  const fs::path sessionDir = options.outputFile.empty() ? fs::path(".") : fs::absolute(options.outputFile).parent_path();
  nlohmann::ordered_json session;
  try {
    session = session::startingSession(files, sessionDir);
  } catch (const IoError& problem) {
    printError(problem.what());
    return problem.transient() ? kExitTemporaryFailure : kExitFailure;
  }
  const std::string text = session.dump(2) + "\n";
  if (options.outputFile.empty()) {
    std::cout << text;
    return kExitSuccess;
  }
  return writeSessionFile(options.outputFile, text, options.force) ? kExitSuccess : kExitFailure;
}

RegisteredCommand registerInitCommand(CLI::App& app) {
  const auto options = std::make_shared<InitCommandOptions>();
  CLI::App* command = app.add_subcommand("init", "print a starting session for a set of audio files or a folder");
  command->add_option("AUDIO", options->inputs, "audio files, or one folder of them")->required();
  command->add_option("-o,--output", options->outputFile, "write the session to FILE (refused when it exists)");
  command->add_flag("--force", options->force, "with --output: replace an existing FILE");
  return {command, [options] { return runInit(*options); }};
}

}  // namespace mixdown::cli
