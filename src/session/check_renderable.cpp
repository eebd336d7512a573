#include "mixdown/session/check_renderable.h"


namespace mixdown::session {

namespace {

using nlohmann::json;

constexpr const char* kAutomationNotRendered =
    "automation is defined by the format but this version of mixdown cannot render it yet";

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

void checkStrip(const Strip& strip, Diagnostics& diagnostics) {
  if (strip.gainDb.isAutomated()) diagnostics.add(childPointer(strip.pointer, "gain_db"), kAutomationNotRendered);
  if (strip.pan.isAutomated()) diagnostics.add(childPointer(strip.pointer, "pan"), kAutomationNotRendered);
  for (const auto& send : strip.sends)
    if (send.levelDb.isAutomated()) diagnostics.add(childPointer(send.pointer, "level_db"), kAutomationNotRendered);
  checkInserts(strip.inserts, diagnostics);
}

}  // namespace

void checkRenderable(const Session& session, Diagnostics& diagnostics) {
  for (const auto& track : session.tracks) checkStrip(track, diagnostics);
  for (const auto& bus : session.buses) checkStrip(bus, diagnostics);
  if (session.master.gainDb.isAutomated()) diagnostics.add("/master/gain_db", kAutomationNotRendered);
  checkInserts(session.master.inserts, diagnostics);
}

}  // namespace mixdown::session
