#pragma once
// How the CLI speaks: errors and warnings to stderr as "mixdown: error: ...".

#include <string>

#include "mixdown/session/diagnostics.h"

namespace mixdown::cli {

void printError(const std::string& message);
void printWarning(const std::string& message);
/** Every diagnostic as "mixdown: error: FILE: POINTER: MESSAGE". */
void printDiagnostics(const std::string& sessionFile, const session::Diagnostics& diagnostics);

}  // namespace mixdown::cli
