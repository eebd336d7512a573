#pragma once
// Every problem loadDocument finds in a session given as JSON (sources not opened).

#include <nlohmann/json.hpp>
#include <string>

#include "mixdown/session/load.h"

namespace mixdown::test {

inline session::Diagnostics sessionProblems(const nlohmann::json& document) {
  session::LoadOptions options;
  options.probeSources = false;
  return session::loadDocument(document, "song.json", options).diagnostics;
}

inline session::Diagnostics sessionProblems(const char* text) { return sessionProblems(nlohmann::json::parse(text)); }

}  // namespace mixdown::test
