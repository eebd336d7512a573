#pragma once
// How the CLI speaks: errors and warnings to stderr as "mixdown: error: ...",
// one line each, control characters escaped (util/printable_text.h). With
// --json (validate, render) every problem is instead one JSON object on its
// own line of stderr: {"severity": "error"|"warning", "file", "pointer",
// "code", "message"} (file and pointer null where none applies; a syntax
// error's pointer is null and its place, "line N, column M" in text, is in
// "line" and "column").

#include <string>

#include "mixdown/session/diagnostics.h"

namespace mixdown::cli {

/** Switches every function below to JSON lines (for the rest of the process). */
void useJsonDiagnostics();

void printError(const std::string& message);
void printWarning(const std::string& message);
/** Makes what LV2 plugins log (plugins/plugin_log.h) warnings, as printWarning prints them. */
void routePluginMessages();

/** "mixdown: MESSAGE": what the user should know that is neither an error nor a warning (as JSON: severity "notice"). */
void printNotice(const std::string& message);

/** One problem of a render: "mixdown: SEVERITY: LABEL: MESSAGE", or its JSON line (file: sessionFile, with pointer and code). */
void printProblem(const std::string& severity, const std::string& sessionFile, const std::string& label,
                  const std::string& pointer, const std::string& code, const std::string& message);

/**
 * Every diagnostic as "mixdown: error: LABEL: POINTER: MESSAGE" (label: the
 * session file, with its variant if any), or as JSON lines with code and
 * file sessionFile.
 */
void printDiagnostics(const std::string& label, const session::Diagnostics& diagnostics,
                      const std::string& code = "session.invalid", const std::string& sessionFile = {});

}  // namespace mixdown::cli
