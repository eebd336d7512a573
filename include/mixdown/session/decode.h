#pragma once
// Turns structurally valid session JSON into the model, filling defaults from
// the tables of params.h. Run validateObject(sessionSpec()) first.

#include <filesystem>
#include <nlohmann/json.hpp>

#include "mixdown/session/model.h"

namespace mixdown::session {

Session decodeSession(const nlohmann::json& document, const std::filesystem::path& sessionFile);

/** A validated automatable number (constant or automation) in seconds-based time. */
AutomatableValue decodeAutomatable(const nlohmann::json& value, const std::optional<Tempo>& tempo);

}  // namespace mixdown::session
