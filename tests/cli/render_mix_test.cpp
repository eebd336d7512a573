// End-to-end: stems add up to the mix, and renders are byte-identical
// whatever the number of worker threads.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "mixdown/io/output_record_name.h"
#include "cli/render_support.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;

constexpr int kRate = 48000;
constexpr std::int64_t kFrames = 30000;

/**
 * Four tracks (one muted), two buses: "group" fed by an output, "fx" fed by
 * pre-fader and post-fader sends; everything else goes to master, which has
 * no inserts and a 0 dB fader. Stems of everything, in float.
 */
void writeRoutingSession(const RenderFolder& folder) {
  folder.writeSource("kick.wav", noiseChannels(kFrames, 1, 0.5, 1), kRate);
  folder.writeSource("keys.wav", noiseChannels(kFrames, 2, 0.4, 2), kRate);
  folder.writeSource("lead.wav", noiseChannels(kFrames, 1, 0.5, 3), kRate);
  folder.writeSource("muted.wav", noiseChannels(kFrames, 1, 0.5, 4), kRate);
  const nlohmann::json session = {
      {"mixdown", 1},
      {"pan_law", "-3dB"},
      {"tail_s", 0},
      {"tracks",
       {{{"name", "kick"}, {"source", "audio/kick.wav"}, {"gain_db", -2}, {"pan", -0.3},
         {"sends", {{{"bus", "fx"}, {"level_db", -6}, {"pre_fader", true}}}}},
        {{"name", "keys"}, {"source", "audio/keys.wav"}, {"pan", 0.4}, {"output", "group"}},
        {{"name", "lead"}, {"source", "audio/lead.wav"}, {"gain_db", -1}, {"pan", 0.2},
         {"sends", {{{"bus", "fx"}, {"level_db", -3}}}}},
        {{"name", "muted"}, {"source", "audio/muted.wav"}, {"mute", true},
         {"sends", {{{"bus", "fx"}, {"pre_fader", true}}}}}}},
      {"buses",
       {{{"name", "group"}, {"gain_db", -1.5}, {"pan", -0.2}, {"inserts", {{{"type", "stereo"}, {"width", 1.4}}}}},
        {{"name", "fx"}, {"gain_db", -4}}}},
      {"master", {{"gain_db", 0}}},
      {"outputs",
       {{"mix", {{"file", "mix.wav"}, {"bit_depth", "float"}}},
        {"stems", {{"of", "all"}, {"dir", "stems"}, {"file", "{name}.wav"}, {"bit_depth", "float"}}}}}};
  folder.writeSession(session);
}

/** Every regular file under root, by relative path, with its bytes. */
std::map<std::string, std::vector<unsigned char>> filesUnder(const fs::path& root) {
  std::map<std::string, std::vector<unsigned char>> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file()) files[entry.path().lexically_relative(root).generic_string()] = bytesOf(entry.path());
  return files;
}

}  // namespace

TEST_CASE("cli: the stems of everything that feeds master add up to the mix") {
  RenderFolder folder;
  writeRoutingSession(folder);
  folder.run({"render", "session.json", "-o", "out", "--quiet"});
  const SoundFileContents mix = readOutput(folder.file("out") / "mix.wav");
  REQUIRE(mix.channels == 2);
  REQUIRE(mix.frames == kFrames);

  std::map<std::string, SoundFileContents> stems;
  for (const char* name : {"kick", "keys", "lead", "muted", "group", "fx"}) {
    stems[name] = readOutput(folder.file("out") / "stems" / (std::string(name) + ".wav"));
    INFO("stem " << name);
    REQUIRE(stems[name].channels == 2);
    REQUIRE(stems[name].frames == kFrames);
  }
  // A muted track sends nothing to its output.
  for (const auto& channel : stems["muted"].samples)
    CHECK(std::all_of(channel.begin(), channel.end(), [](float sample) { return sample == 0.0f; }));

  // keys feeds group, so only group's stem carries it to master.
  for (std::size_t channel = 0; channel < 2; ++channel) {
    double largestError = 0.0;
    double peak = 0.0;
    for (std::size_t frame = 0; frame < static_cast<std::size_t>(kFrames); ++frame) {
      double sum = 0.0;
      for (const char* name : {"kick", "lead", "muted", "group", "fx"}) sum += stems[name].samples[channel][frame];
      largestError = std::max(largestError, std::abs(sum - mix.samples[channel][frame]));
      peak = std::max(peak, std::abs(static_cast<double>(mix.samples[channel][frame])));
    }
    INFO("channel " << channel << ": largest |sum of stems - mix| " << largestError << ", mix peak " << peak);
    CHECK(peak > 0.1);
    CHECK(largestError <= 1e-6);
  }
  // Each bus carries signal: the sends and the output are really routed.
  for (const char* name : {"group", "fx"})
    CHECK_MESSAGE(rmsOfPlanar(stems[name].samples) > 1e-3, std::string(name));
}

TEST_CASE("cli: -j 1 and -j 4 write byte-identical mix, stems and report") {
  RenderFolder folder;
  writeRoutingSession(folder);
  folder.run({"render", "session.json", "-o", "one", "-j", "1", "--quiet"});
  folder.run({"render", "session.json", "-o", "four", "-j", "4", "--quiet"});
  folder.run({"render", "session.json", "-o", "again", "-j", "4", "--quiet"});
  const auto one = filesUnder(folder.file("one"));
  const auto four = filesUnder(folder.file("four"));
  const auto again = filesUnder(folder.file("again"));
  for (const char* expected : {"mix.wav", "report.json", "stems/kick.wav", "stems/fx.wav"})
    CHECK_MESSAGE(one.count(expected) == 1, std::string(expected));
  REQUIRE(one.size() == four.size());
  for (const auto& [name, bytes] : one) {
    INFO("file " << name);
    REQUIRE(four.count(name) == 1);
    if (name == io::kOutputRecordName) continue;  // each file's inode and mtime: the folder's own, not an output
    CHECK(four.at(name) == bytes);
    CHECK(again.at(name) == bytes);
  }
}

}  // namespace mixdown::test
