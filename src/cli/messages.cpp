#include "mixdown/cli/messages.h"

#include <iostream>

namespace mixdown::cli {

void printError(const std::string& message) { std::cerr << "mixdown: error: " << message << '\n'; }

void printWarning(const std::string& message) { std::cerr << "mixdown: warning: " << message << '\n'; }

void printDiagnostics(const std::string& sessionFile, const session::Diagnostics& diagnostics) {
  for (const auto& line : diagnostics.format(sessionFile)) printError(line);
}

}  // namespace mixdown::cli
