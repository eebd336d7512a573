#pragma once
// How the CLI speaks: errors and warnings to stderr as "mixdown: error: ...",
// one line each, control characters escaped (util/printable_text.h).

#include <string>

#include "mixdown/session/diagnostics.h"

namespace mixdown::cli {

void printError(const std::string& message);
void printWarning(const std::string& message);
/** "mixdown: MESSAGE": what the user should know that is neither an error nor a warning. */
void printNotice(const std::string& message);
/** Every diagnostic as "mixdown: error: FILE: POINTER: MESSAGE". */
void printDiagnostics(const std::string& sessionFile, const session::Diagnostics& diagnostics);

}  // namespace mixdown::cli
