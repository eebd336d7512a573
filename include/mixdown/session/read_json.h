#pragma once
// Reads a session file as JSON: syntax errors with line and column, and keys
// repeated within one object (which JSON parsers silently collapse) as errors.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "mixdown/session/diagnostics.h"

namespace mixdown::session {

std::optional<nlohmann::json> readJsonFile(const std::filesystem::path& file, Diagnostics& diagnostics);
std::optional<nlohmann::json> parseJsonText(const std::string& text, Diagnostics& diagnostics);

}  // namespace mixdown::session
