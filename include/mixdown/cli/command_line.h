#pragma once
// Parsing the command line against the registered commands: an unknown
// command is named (with the closest command, if any), a usage error printed
// with a pointer to `mixdown help`, and help and version answered.

#include <optional>

#include "mixdown/cli/command.h"

namespace mixdown::cli {

/** Parses argv into app; an exit status when the process ends here (usage error, --help, --version). */
std::optional<int> parseCommandLine(CLI::App& app, int argc, char** argv);

}  // namespace mixdown::cli
