#include "mixdown/cli/schema_command.h"

#include <iostream>

#include "mixdown/cli/exit_status.h"
#include "mixdown/session/schema.h"

namespace mixdown::cli {

int runSchema() {
  std::cout << session::sessionJsonSchema().dump(2) << '\n';
  return kExitSuccess;
}

}  // namespace mixdown::cli
