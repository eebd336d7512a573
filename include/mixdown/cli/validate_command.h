#pragma once
// `mixdown validate SESSION...`: every problem of each session, without rendering.

#include <string>
#include <vector>

#include "mixdown/cli/command.h"

namespace mixdown::cli {

int runValidate(const std::vector<std::string>& sessions, const std::vector<std::string>& assignments, bool quiet, bool json);

/** Adds `validate` and its flags to app. */
RegisteredCommand registerValidateCommand(CLI::App& app);

}  // namespace mixdown::cli
