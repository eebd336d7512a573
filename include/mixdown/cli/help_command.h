#pragma once
// `mixdown help [COMMAND]`: the usage of mixdown or of one command, on stdout.

#include "mixdown/cli/command.h"

namespace mixdown::cli {

/** Adds `help` to app; it describes app's commands (app must outlive the returned command). */
RegisteredCommand registerHelpCommand(CLI::App& app);

}  // namespace mixdown::cli
