#include "mixdown/cli/schema_command.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "mixdown/cli/exit_status.h"
#include "mixdown/session/schema.h"

namespace mixdown::cli {

int runSchema() {
  std::cout << session::sessionJsonSchema().dump(2) << '\n';
  return kExitSuccess;
}

RegisteredCommand registerSchemaCommand(CLI::App& app) {
  return {app.add_subcommand("schema", "print the JSON Schema of the session format"), [] { return runSchema(); }};
}

}  // namespace mixdown::cli
