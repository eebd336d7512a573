#include "support/large_sessions.h"

#include "support/cli_fixtures.h"

namespace mixdown::test {

using nlohmann::json;

void writeTone(const std::filesystem::path& folder) {
  writeWav(folder / "tone.wav", sineChannels(440.0, kToneRateHz, kToneRateHz / 10, 1, 0.25), kToneRateHz,
           SampleFormat::Pcm16);
}

std::string numbered(const std::string& prefix, std::size_t index) {
  std::string name = prefix;  // appended, not prefix + std::to_string(): GCC 12 warns of an overlap there
  name += std::to_string(index);
  return name;
}

json sessionWithTracks(std::size_t tracks) {
  json session{{"mixdown", 1}, {"sample_rate", kToneRateHz}, {"tracks", json::array()}};
  for (std::size_t index = 0; index < tracks; ++index)
    session["tracks"].push_back({{"name", numbered("t", index)}, {"source", "tone.wav"}});
  return session;
}

json chainOfBuses(std::size_t buses) {
  json session = sessionWithTracks(1);
  session["tracks"][0]["output"] = "b0";
  session["buses"] = json::array();
  for (std::size_t index = 0; index < buses; ++index)
    session["buses"].push_back(
        {{"name", numbered("b", index)}, {"output", index + 1 < buses ? numbered("b", index + 1) : "master"}});
  return session;
}

json busesIntoOne(std::size_t buses) {
  json session = sessionWithTracks(1);
  session["tracks"][0]["output"] = "b0";
  session["buses"] = json::array({{{"name", "sum"}}});
  for (std::size_t index = 0; index < buses; ++index)
    session["buses"].push_back({{"name", numbered("b", index)}, {"output", "sum"}});
  return session;
}

std::string pathOfSegments(std::size_t segments) {
  std::string path = "tracks.t0";
  for (std::size_t index = 2; index < segments; ++index) path += ".x";
  return path;
}

}  // namespace mixdown::test
