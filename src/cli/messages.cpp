#include "mixdown/cli/messages.h"

#include <iostream>

#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

// Through printableText: a file name or quote with control characters cannot reach the terminal raw.
void printError(const std::string& message) { std::cerr << "mixdown: error: " << printableText(message) << '\n'; }

void printWarning(const std::string& message) { std::cerr << "mixdown: warning: " << printableText(message) << '\n'; }

void printNotice(const std::string& message) { std::cerr << "mixdown: " << printableText(message) << '\n'; }

void printDiagnostics(const std::string& sessionFile, const session::Diagnostics& diagnostics) {
  for (const auto& line : diagnostics.format(sessionFile)) printError(line);
}

}  // namespace mixdown::cli
