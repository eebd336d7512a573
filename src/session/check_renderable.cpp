#include "mixdown/session/check_renderable.h"

#include "mixdown/session/params.h"

namespace mixdown::session {

namespace {

void checkInserts(const std::vector<Insert>& inserts, Diagnostics& diagnostics) {
  for (const auto& insert : inserts) {
    const ObjectSpec* table = processorSpec(insert.type);
    if (!table) continue;
    for (const FieldSpec& field : table->fields) {
      if (field.automationNotRendered.empty()) continue;
      const auto found = insert.parameters.find(field.key);
      if (found == insert.parameters.end() || !found->is_object()) continue;
      diagnostics.add(childPointer(insert.pointer, field.key),
                      "this version of mixdown cannot automate " + field.key + ": " + field.automationNotRendered +
                          ", which stays fixed for the whole render (give a number)");
    }
  }
}

}  // namespace

void checkRenderable(const Session& session, Diagnostics& diagnostics) {
  for (const auto& track : session.tracks) checkInserts(track.inserts, diagnostics);
  for (const auto& bus : session.buses) checkInserts(bus.inserts, diagnostics);
  checkInserts(session.master.inserts, diagnostics);
}

}  // namespace mixdown::session
