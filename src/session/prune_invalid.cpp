#include "mixdown/session/prune_invalid.h"

namespace mixdown::session {

namespace {

using nlohmann::json;

/** Rounds of removal: a bad value, then the object that lost a required key, then its enclosing member. */
constexpr int kMaxRounds = 4;

/** Removes the object member at pointer or, inside an array element, the nearest enclosing one; false at the top. */
bool removeEnclosingMember(json& document, const std::string& pointerText, PrunedDocument& pruned) {
  json::json_pointer pointer;
  try {
    pointer = json::json_pointer(pointerText);
  } catch (const json::exception&) {
    return false;  // "line L, column C" of a syntax error, or a key shown as printable text
  }
  // An unknown key shown escaped (printableText) may not exist as written: start from what does.
  while (!pointer.empty() && !document.contains(pointer)) pointer = pointer.parent_pointer();
  while (!pointer.empty()) {
    const std::string token = pointer.back();
    const json::json_pointer parent = pointer.parent_pointer();
    json& container = document.at(parent);
    if (container.is_object()) {
      container.erase(token);
      pruned.removedPointers.insert(pointer.to_string());
      for (json::json_pointer ancestor = parent;; ancestor = ancestor.parent_pointer()) {
        pruned.ancestorsOfRemoved.insert(ancestor.to_string());
        if (ancestor.empty()) break;
      }
      return true;
    }
    pointer = parent;
  }
  return false;
}

}  // namespace

bool PrunedDocument::mayComeFromRemoval(const std::string& pointer) const {
  if (ancestorsOfRemoved.count(pointer)) return true;
  for (std::size_t slash = pointer.find('/', 1); slash != std::string::npos; slash = pointer.find('/', slash + 1))
    if (removedPointers.count(pointer.substr(0, slash))) return true;
  return removedPointers.count(pointer) > 0;
}

std::optional<PrunedDocument> withoutInvalidMembers(const json& document, const Diagnostics& problems,
                                                    const StructureCheck& structureOf) {
  if (!document.is_object()) return std::nullopt;
  PrunedDocument pruned{document, {}, {}};
  Diagnostics remaining = problems;
  for (int round = 0; round < kMaxRounds; ++round) {
    for (const auto& problem : remaining.items())
      if (!removeEnclosingMember(pruned.document, problem.pointer, pruned)) return std::nullopt;
    remaining = structureOf(pruned.document);
    if (remaining.empty()) return pruned;
  }
  return std::nullopt;
}

}  // namespace mixdown::session
