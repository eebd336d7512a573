#include "mixdown/session/input_files.h"

#include <algorithm>

namespace mixdown::session {

std::vector<std::filesystem::path> inputFiles(const Session& session) {
  std::vector<std::filesystem::path> inputs;
  const auto add = [&](const std::filesystem::path& path) {
    if (std::find(inputs.begin(), inputs.end(), path) == inputs.end()) inputs.push_back(path);
  };
  add(session.file);
  for (const auto& track : session.tracks)
    for (const auto& clip : track.clips) add(clip.file);
  const auto addImpulseResponses = [&](const std::vector<Insert>& inserts) {
    for (const auto& file : impulseResponseFiles(inserts)) add(file);
  };
  for (const auto& track : session.tracks) addImpulseResponses(track.inserts);
  for (const auto& bus : session.buses) addImpulseResponses(bus.inserts);
  addImpulseResponses(session.master.inserts);
  for (const auto& reference : session.references) add(reference.file);
  return inputs;
}

std::vector<std::filesystem::path> impulseResponseFiles(const std::vector<Insert>& inserts) {
  std::vector<std::filesystem::path> files;
  for (const auto& insert : inserts)
    if (insert.type == "convolution" && insert.parameters.contains("ir")) files.push_back(insert.file("ir"));
  return files;
}

}  // namespace mixdown::session
