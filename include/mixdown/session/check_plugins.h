#pragma once
// lv2 inserts against the descriptions of the installed plugins (never their
// binaries), before any audio: the plugin is installed (else a suggestion
// among the installed URIs and names), mixdown can host it (else why not),
// each control names one of its control inputs (did you mean) with a value,
// or automation points, within the port's range, and no control of a plugin
// that needs fixed block lengths is automated, and a sidechain goes only to a
// plugin with sidechain inputs.

#include <optional>
#include <string>

#include "mixdown/session/diagnostics.h"
#include "mixdown/session/model.h"

namespace mixdown::session {

/** The installed URI the user most likely meant by written: a plugin named so, a URI ending so, else the closest spelling. */
std::optional<std::string> suggestedPluginUri(const std::string& written);

void checkPlugins(const Session& session, Diagnostics& diagnostics);

}  // namespace mixdown::session
