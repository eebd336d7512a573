#include "mixdown/session/check_renderable.h"

#include <array>
#include <string_view>

namespace mixdown::session {

namespace {

/** Parameters the format lets automation reach but this renderer holds fixed, and why. */
struct FixedParameter {
  std::string_view type;
  std::string_view key;
  std::string_view reason;
};

constexpr std::array<FixedParameter, 4> kFixedParameters = {{
    {"reverb", "size", "it sets the lengths of the reverb's delay lines"},
    {"reverb", "predelay_ms", "it sets the length of the predelay line"},
    {"delay", "time_ms", "it sets the length of the delay line"},
    {"delay", "time_beats", "it sets the length of the delay line"},
}};

void checkInserts(const std::vector<Insert>& inserts, Diagnostics& diagnostics) {
  for (const auto& insert : inserts)
    for (const FixedParameter& fixed : kFixedParameters) {
      if (insert.type != fixed.type) continue;
      const auto found = insert.parameters.find(std::string(fixed.key));
      if (found == insert.parameters.end() || !found->is_object()) continue;
      diagnostics.add(childPointer(insert.pointer, std::string(fixed.key)),
                      "this version of mixdown cannot automate " + std::string(fixed.key) + ": " +
                          std::string(fixed.reason) + ", which stays fixed for the whole render (give a number)");
    }
}

}  // namespace

void checkRenderable(const Session& session, Diagnostics& diagnostics) {
  for (const auto& track : session.tracks) checkInserts(track.inserts, diagnostics);
  for (const auto& bus : session.buses) checkInserts(bus.inserts, diagnostics);
  checkInserts(session.master.inserts, diagnostics);
}

}  // namespace mixdown::session
