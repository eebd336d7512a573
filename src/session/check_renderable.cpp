#include "mixdown/session/check_renderable.h"

#include <set>
#include <string>

#include "mixdown/session/params.h"
#include "mixdown/util/printable_text.h"

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

/** A "{...}" in an output path other than the placeholder it allows (none when allowed is empty) is a slip,
    not a folder name: "{sesion}" would make a folder of that name. */
void checkPlaceholders(const std::string& path, const std::string& allowed, const std::string& pointer,
                       Diagnostics& diagnostics) {
  for (auto open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
    const auto close = path.find('}', open);
    const std::string placeholder = path.substr(open, close == std::string::npos ? std::string::npos : close - open + 1);
    if (placeholder == allowed) continue;
    std::string message = "unknown placeholder " + quotedText(placeholder);
    message += allowed.empty() ? std::string(" (this path takes none)") : " (this path takes " + allowed + ")";
    diagnostics.add(pointer, message);
  }
}

}  // namespace

void checkRenderable(const Session& session, Diagnostics& diagnostics) {
  for (const auto& track : session.tracks) checkInserts(track.inserts, diagnostics);
  for (const auto& bus : session.buses) checkInserts(bus.inserts, diagnostics);
  checkInserts(session.master.inserts, diagnostics);
  const Outputs& outputs = session.outputs;
  checkPlaceholders(outputs.dir, "{session}", "/outputs/dir", diagnostics);
  checkPlaceholders(outputs.report, "", "/outputs/report", diagnostics);
  if (outputs.html) checkPlaceholders(*outputs.html, "", "/outputs/html", diagnostics);
  if (outputs.mix) checkPlaceholders(outputs.mix->file, "", "/outputs/mix/file", diagnostics);
  if (outputs.stems) {
    checkPlaceholders(outputs.stems->file, "{name}", "/outputs/stems/file", diagnostics);
    checkPlaceholders(outputs.stems->dir, "", "/outputs/stems/dir", diagnostics);
  }
  std::set<std::string> trackNames;
  if (!session.insight.maskingLimits.empty())
    for (const Track& track : session.tracks) trackNames.insert(track.name);
  for (const MaskingLimit& limit : session.insight.maskingLimits) {
    if (!session.insight.masking)
      diagnostics.add(limit.pointer, "a masking limit needs the masking analysis: set /insight/masking to true");
    if (!trackNames.count(limit.track))
      diagnostics.add(childPointer(limit.pointer, "track"), "no track is named " + quotedText(limit.track));
  }
  if (session.insight.referenceToleranceDb && session.references.empty())
    diagnostics.add("/insight/reference_tolerance_db", "a tolerance against the references needs \"references\"");
  if (session.insight.masking && session.tracks.size() > kMaxMaskingTracks)
    diagnostics.add("/insight/masking", "the masking analysis takes at most " + std::to_string(kMaxMaskingTracks) +
                                            " tracks (it compares every pair); this session has " +
                                            std::to_string(session.tracks.size()) + ": set it to false");
}

}  // namespace mixdown::session
