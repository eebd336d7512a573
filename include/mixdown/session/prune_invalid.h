#pragma once
// A session whose structure has problems cannot be decoded, yet the checks
// after structure (routing, sources) could tell the user more in the same
// pass. This finds the sound part of the document: the document without the
// object members the structural problems point into.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "mixdown/session/diagnostics.h"

namespace mixdown::session {

/** The structural problems of a document (validation against the tables, session.h's sessionSpec). */
using StructureCheck = std::function<Diagnostics(const nlohmann::json&)>;

/** The sound part of a document, and what was removed to get it. */
struct PrunedDocument {
  nlohmann::json document;
  std::set<std::string> removedPointers;
  std::set<std::string> ancestorsOfRemoved;  // proper ancestors of removed members ("" included)

  /** Whether a later check's problem at pointer may come from a removal (it is about an object that lost a
      member, or lies inside a removed member), so it would not be one of the user's. */
  bool mayComeFromRemoval(const std::string& pointer) const;
};

/**
 * document without each object member a problem points into (a problem inside an array element
 * removes the nearest enclosing object member, so no index moves), repeated while the removals
 * themselves leave problems (a required key removed), a few rounds at most. None when the result
 * still has problems or the problem is the whole document: then nothing more can be checked.
 */
std::optional<PrunedDocument> withoutInvalidMembers(const nlohmann::json& document, const Diagnostics& problems,
                                                    const StructureCheck& structureOf);

}  // namespace mixdown::session
