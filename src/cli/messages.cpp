#include "mixdown/cli/messages.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "mixdown/plugins/plugin_log.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

namespace {

bool jsonLines = false;

/** A syntax error's place, "line N, column M" where a pointer would be: its two numbers. */
bool textPosition(const std::string& pointer, long& line, long& column) {
  int consumed = 0;
  return std::sscanf(pointer.c_str(), "line %ld, column %ld%n", &line, &column, &consumed) == 2 &&
         static_cast<std::size_t>(consumed) == pointer.size();
}

void printJsonLine(const std::string& severity, const std::string* file, const std::string* pointer,
                   const std::string& code, const std::string& message) {
  nlohmann::ordered_json line{{"severity", severity},
                              {"file", file ? nlohmann::ordered_json(*file) : nlohmann::ordered_json()},
                              {"pointer", nullptr},
                              {"code", code},
                              {"message", message}};
  long lineNumber = 0;
  long column = 0;
  if (pointer && textPosition(*pointer, lineNumber, column)) {
    line["line"] = lineNumber;
    line["column"] = column;
  } else if (pointer) {
    line["pointer"] = *pointer;
  }
  // Escaped to ASCII, invalid UTF-8 replaced: one line whatever the names hold.
  std::cerr << line.dump(-1, ' ', true, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

void printText(const char* prefix, const std::string& message) { std::cerr << prefix << printableText(message) << '\n'; }

}  // namespace

void useJsonDiagnostics() { jsonLines = true; }

// Through printableText: a file name or quote with control characters cannot reach the terminal raw.
void printError(const std::string& message) {
  if (jsonLines) printJsonLine("error", nullptr, nullptr, "error", message);
  else printText("mixdown: error: ", message);
}

void printWarning(const std::string& message) {
  if (jsonLines) printJsonLine("warning", nullptr, nullptr, "warning", message);
  else printText("mixdown: warning: ", message);
}

void routePluginMessages() {
  plugins::setPluginMessageSink([](const std::string& message) { printWarning(message); });
}

void printNotice(const std::string& message) {
  if (jsonLines) printJsonLine("notice", nullptr, nullptr, "notice", message);
  else printText("mixdown: ", message);
}

void printProblem(const std::string& severity, const std::string& sessionFile, const std::string& label,
                  const std::string& pointer, const std::string& code, const std::string& message) {
  if (jsonLines) {
    printJsonLine(severity, &sessionFile, &pointer, code, message);
    return;
  }
  printText(severity == "error" ? "mixdown: error: " : "mixdown: warning: ", label + ": " + message);
}

void printDiagnostics(const std::string& label, const session::Diagnostics& diagnostics, const std::string& code,
                      const std::string& sessionFile) {
  if (!jsonLines) {
    for (const auto& line : diagnostics.format(label)) printError(line);
    return;
  }
  const std::string& file = sessionFile.empty() ? label : sessionFile;
  long lineNumber = 0;
  long column = 0;
  for (const auto& item : diagnostics.items())
    printJsonLine("error", &file, &item.pointer, textPosition(item.pointer, lineNumber, column) ? "session.syntax" : code,
                  item.message);
}

}  // namespace mixdown::cli
