#pragma once
// Reading a session end to end: JSON syntax, --set overrides, structure,
// routing, variants and sources. Nothing renders unless this found no problem.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mixdown/session/check_sources.h"
#include "mixdown/session/diagnostics.h"
#include "mixdown/session/model.h"

namespace mixdown::session {

struct LoadOptions {
  std::vector<std::string> assignments;  // --set PATH=VALUE, in order
  bool probeSources = true;              // open every audio file (validate, render)
};

struct LoadedSession {
  nlohmann::json document;  // after --set
  Session session;
  SourceInfos sources;
  int sampleRate = 48000;
};

struct LoadResult {
  std::optional<LoadedSession> loaded;  // none when any problem was found
  Diagnostics diagnostics;
};

LoadResult loadSession(const std::filesystem::path& file, const LoadOptions& options);

/** Validates an already parsed document (after overrides or a variant) as the session `file`. */
LoadResult loadDocument(nlohmann::json document, const std::filesystem::path& file, const LoadOptions& options);

}  // namespace mixdown::session
