#pragma once
// `mixdown schema`: the JSON Schema of the session format, on stdout.

#include "mixdown/cli/command.h"

namespace mixdown::cli {

int runSchema();

/** Adds `schema` to app. */
RegisteredCommand registerSchemaCommand(CLI::App& app);

}  // namespace mixdown::cli
