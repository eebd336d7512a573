#include "mixdown/session/check_renderable.h"

namespace mixdown::session {

namespace {

using nlohmann::json;

constexpr const char* kAutomationNotRendered =
    "automation of processor parameters is defined by the format but this version of mixdown cannot render it yet "
    "(faders, pans and send levels can be automated)";

/** Any automation object inside a processor's parameters (its bands included). */
void checkNoAutomation(const json& value, const std::string& pointer, Diagnostics& diagnostics) {
  if (value.is_object() && value.contains("points")) {
    diagnostics.add(pointer, kAutomationNotRendered);
    return;
  }
  if (value.is_object())
    for (const auto& [key, member] : value.items()) checkNoAutomation(member, childPointer(pointer, key), diagnostics);
  if (value.is_array())
    for (std::size_t index = 0; index < value.size(); ++index)
      checkNoAutomation(value[index], childPointer(pointer, index), diagnostics);
}

void checkInserts(const std::vector<Insert>& inserts, Diagnostics& diagnostics) {
  for (const auto& insert : inserts) checkNoAutomation(insert.parameters, insert.pointer, diagnostics);
}

}  // namespace

void checkRenderable(const Session& session, Diagnostics& diagnostics) {
  for (const auto& track : session.tracks) checkInserts(track.inserts, diagnostics);
  for (const auto& bus : session.buses) checkInserts(bus.inserts, diagnostics);
  checkInserts(session.master.inserts, diagnostics);
}

}  // namespace mixdown::session
