#pragma once
// --set PATH=VALUE and variants: changes to the session JSON before validation.
// PATH is dotted and addresses tracks, buses, sends (by bus), inserts and bands
// by name or index: tracks.vocal.inserts.comp.threshold_db. Names may hold dots;
// the longest name that matches wins. VALUE is JSON.

#include <nlohmann/json.hpp>
#include <string>

#include "mixdown/session/diagnostics.h"

namespace mixdown::session {

/** Applies "PATH=VALUE"; on failure adds a diagnostic (a did-you-mean only while diagnostics is empty) and leaves document unchanged. */
bool applyAssignment(nlohmann::json& document, const std::string& assignment, Diagnostics& diagnostics);
/** Whether a failure names the closest label (a search through every label of the array). */
enum class Suggest { Yes, No };
/** Sets the value at a dotted PATH of at most kMaxOverridePathSegments segments; a failure changes nothing. */
bool applyOverride(nlohmann::json& document, const std::string& path, const nlohmann::json& value,
                   Diagnostics& diagnostics, Suggest suggest = Suggest::Yes);

/** The document with a variant's mutes and sets applied; diagnostics point into /variants/NAME. */
nlohmann::json applyVariant(const nlohmann::json& document, const std::string& variantName, Diagnostics& diagnostics);

}  // namespace mixdown::session
