// End-to-end: report.json's insight section (SESSION.md 1.1 "References" and
// "Insight"): masking of the tracks as they reach the mix, the comparison of
// the mix with the session's references, and bad references refused before
// any audio is read.

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cli/render_support.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 48000;

nlohmann::json readReport(const RenderFolder& folder) {
  std::ifstream stream(folder.file("out") / "report.json");
  return nlohmann::json::parse(stream);
}

nlohmann::json toneTrack(const std::string& name) {
  return {{"name", name}, {"source", "audio/" + name + ".wav"}};
}

}  // namespace

TEST_CASE("render insight.masking: two equal tones in one band mask each other fully, the other is the masker") {
  RenderFolder folder;
  // 1000 and 1010 Hz lie in one ERB band (about 130 Hz wide there); equal levels, both centred.
  folder.writeSource("a.wav", sineChannels(1000.0, kRate, 3 * kRate, 1, 0.1), kRate);
  folder.writeSource("b.wav", sineChannels(1010.0, kRate, 3 * kRate, 1, 0.1), kRate);
  folder.writeSession({{"mixdown", 1},
                       {"tail_s", 0},
                       {"tracks", {toneTrack("a"), toneTrack("b")}},
                       {"insight", {{"masking", true}}}});
  folder.run({"render", "session.json", "-o", "out", "--quiet", "--mix-only"});
  const nlohmann::json report = readReport(folder);
  const nlohmann::json& masking = report["insight"]["masking"];
  REQUIRE(masking.size() == 2);
  // CLI.md 1.1 pins the first keys: read their order in the report's own text (nlohmann::json sorts keys).
  std::ifstream stream(folder.file("out") / "report.json");
  const std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  std::size_t at = text.find("\"track\": \"a\"");
  REQUIRE(at != std::string::npos);
  for (const char* key : {"masked_fraction", "maskers"}) {
    at = text.find('"', text.find(',', at));  // the next key after the value
    CHECK(text.compare(at + 1, std::string(key).size(), key) == 0);
  }
  for (int t = 0; t < 2; ++t) {
    INFO("track " << t);
    CHECK(masking[t]["masked_fraction"].get<double>() > 0.95);
    REQUIRE(masking[t]["maskers"].size() == 1);  // the only other track: its share is all of it
    CHECK(masking[t]["maskers"][0]["track"] == (t == 0 ? "b" : "a"));
    CHECK(masking[t]["maskers"][0]["share"].get<double>() == doctest::Approx(1.0));
  }
  CHECK(report["insight"]["masking_bands"].size() == 40);
  // No stem was written for it.
  CHECK_FALSE(std::filesystem::exists(folder.file("out") / "stems"));
}

TEST_CASE("render insight.masking: a track alone is never masked, masking is off unless asked") {
  RenderFolder folder;
  folder.writeSource("a.wav", noiseChannels(2 * kRate, 1, 0.3, 7), kRate);
  nlohmann::json session{{"mixdown", 1}, {"tail_s", 0}, {"tracks", {toneTrack("a")}}};
  folder.writeSession(session);
  folder.run({"render", "session.json", "-o", "out", "--quiet"});
  CHECK_FALSE(readReport(folder)["insight"].contains("masking"));
  session["insight"] = {{"masking", true}};
  folder.writeSession(session);
  folder.run({"render", "session.json", "-o", "out", "--quiet"});
  const nlohmann::json masking = readReport(folder)["insight"]["masking"];
  REQUIRE(masking.size() == 1);
  CHECK(masking[0]["masked_fraction"].get<double>() == 0.0);
  CHECK(masking[0]["maskers"].empty());
  CHECK(masking[0]["audible_s"].get<double>() == doctest::Approx(2.0).epsilon(0.05));
}

TEST_CASE("render references: a mix compared with itself as reference reads 0 LU and 0 dB in every band") {
  RenderFolder folder;
  // A stereo source, centred, at 0 dB, into a float mix: the mix is the source, sample for sample.
  // The reference is a copy of it (the same seed).
  folder.writeSource("song.wav", noiseChannels(4 * kRate, 2, 0.2, 11), kRate);
  folder.writeSource("reference.wav", noiseChannels(4 * kRate, 2, 0.2, 11), kRate);
  folder.writeSession({{"mixdown", 1},
                       {"tail_s", 0},
                       {"tracks", {{{"name", "song"}, {"source", "audio/song.wav"}}}},
                       {"references", {"audio/reference.wav"}},
                       {"outputs", {{"mix", {{"file", "mix.wav"}, {"bit_depth", "float"}}}}}});
  folder.run({"render", "session.json", "-o", "out", "--quiet", "--depfile", "deps.d"});
  // The report depends on the reference: make re-renders when it changes.
  std::ifstream depfile(folder.file("deps.d"));
  const std::string rules((std::istreambuf_iterator<char>(depfile)), std::istreambuf_iterator<char>());
  CHECK(rules.find("audio/reference.wav") != std::string::npos);
  const nlohmann::json comparison = readReport(folder)["insight"]["references"];
  REQUIRE(comparison.is_object());
  CHECK(std::abs(comparison["loudness_offset_lu"].get<double>()) <= 0.01);
  for (const auto& band : comparison["broad_bands"]) CHECK(band["mid_diff_db"].is_number());
  REQUIRE(comparison["broad_bands"].size() == 4);
  REQUIRE(comparison["bands"].size() > 20);
  for (const auto& bands : {comparison["broad_bands"], comparison["bands"]})
    for (const auto& band : bands) {
      INFO(band.dump());
      // A third octave holding no bin of the analysis (below 23 Hz) has no level on either side.
      if (band["target_mid_db"].is_null() && band["mix_mid_db"].is_null()) continue;
      CHECK(std::abs(band["mid_diff_db"].get<double>()) <= 0.01);
      CHECK(std::abs(band["side_diff_db"].get<double>()) <= 0.01);
    }
}

TEST_CASE("render references: a missing or 3-channel reference is an error at its pointer, before any audio") {
  RenderFolder folder;
  folder.writeSource("a.wav", noiseChannels(kRate, 1, 0.3, 7), kRate);
  folder.writeSource("wide.wav", noiseChannels(kRate, 3, 0.3, 8), kRate);
  folder.writeSession({{"mixdown", 1}, {"tracks", {toneTrack("a")}}, {"references", {"refs/none.wav", "audio/wide.wav"}}});
  const CommandResult result = runMixdown({"render", "session.json", "-o", "out"}, folder.path());
  INFO(result.err);
  CHECK(result.exitStatus == 1);
  CHECK(result.err.find("/references/0") != std::string::npos);
  CHECK(result.err.find("/references/1") != std::string::npos);
  CHECK(result.err.find("3 channels") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(folder.file("out")));
}

TEST_CASE("render insight gates: a masking limit breached is a warning insight.masking, an error under --strict") {
  RenderFolder folder;
  folder.writeSource("a.wav", sineChannels(1000.0, kRate, 2 * kRate, 1, 0.1), kRate);
  folder.writeSource("b.wav", sineChannels(1010.0, kRate, 2 * kRate, 1, 0.1), kRate);
  nlohmann::json session{{"mixdown", 1},
                         {"tail_s", 0},
                         {"tracks", {toneTrack("a"), toneTrack("b")}},
                         {"insight",
                          {{"masking", true},
                           {"masking_limits",
                            {{{"track", "a"}, {"max_masked_fraction", 0.5}},
                             // a 1 kHz tone is never audible in 5-20 kHz: its fraction there is 0.
                             {{"track", "b"}, {"region", "air"}, {"max_masked_fraction", 0.0}}}}}}};
  folder.writeSession(session);
  folder.run({"render", "session.json", "-o", "out", "--quiet"});
  const nlohmann::json warnings = readReport(folder)["warnings"];
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].get<std::string>().find("track \"a\" is masked") == 0);
  CHECK(warnings[0].get<std::string>().find("mostly by \"b\"") != std::string::npos);
  const CommandResult strict = runMixdown({"render", "session.json", "-o", "strict", "--strict", "--json"}, folder.path());
  CHECK(strict.exitStatus == 1);
  CHECK(strict.err.find("\"code\":\"insight.masking\"") != std::string::npos);
  CHECK(strict.err.find("/insight/masking_limits/0") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(folder.file("strict") / "mix.wav"));
  // A limit the track keeps: no warning.
  session["insight"]["masking_limits"][0]["max_masked_fraction"] = 1.0;
  folder.writeSession(session);
  folder.run({"render", "session.json", "-o", "out", "--quiet"});
  CHECK(readReport(folder)["warnings"].empty());
}

TEST_CASE("render insight gates: the mix within a tolerance of the references in every broad band") {
  RenderFolder folder;
  folder.writeSource("song.wav", noiseChannels(4 * kRate, 2, 0.2, 11), kRate);
  folder.writeSource("same.wav", noiseChannels(4 * kRate, 2, 0.2, 11), kRate);
  // All of a 100 Hz sine's power is below 250 Hz, where white noise has about 1% of its own.
  folder.writeSource("bass.wav", sineChannels(100.0, kRate, 4 * kRate, 2, 0.2), kRate);
  nlohmann::json session{{"mixdown", 1},
                         {"tail_s", 0},
                         {"tracks", {{{"name", "song"}, {"source", "audio/song.wav"}}}},
                         {"references", {"audio/same.wav"}},
                         {"insight", {{"reference_tolerance_db", 0.5}}},
                         {"outputs", {{"mix", {{"file", "mix.wav"}, {"bit_depth", "float"}}}}}};
  folder.writeSession(session);
  folder.run({"render", "session.json", "-o", "out", "--quiet"});
  // (Unrelated noise channels also warn of the mono fold-down: only the gate's warning counts here.)
  const nlohmann::json report = readReport(folder);
  for (const auto& warning : report["warnings"])
    CHECK(warning.get<std::string>().find("against the references") == std::string::npos);
  session["references"] = {"audio/bass.wav"};
  folder.writeSession(session);
  const CommandResult result = runMixdown({"render", "session.json", "-o", "out", "--fail-on", "insight.reference"}, folder.path());
  CHECK(result.exitStatus == 1);
  CHECK(result.err.find("against the references in 0-250 Hz") != std::string::npos);
}

TEST_CASE("render insight gates: a limit on an unknown track, or without masking, and a tolerance without references") {
  RenderFolder folder;
  folder.writeSource("a.wav", noiseChannels(kRate, 1, 0.3, 7), kRate);
  folder.writeSession({{"mixdown", 1},
                       {"tracks", {toneTrack("a")}},
                       {"insight",
                        {{"masking_limits", {{{"track", "lead"}, {"max_masked_fraction", 0.2}}}},
                         {"reference_tolerance_db", 2}}}});
  const CommandResult result = runMixdown({"validate", "session.json"}, folder.path());
  INFO(result.err);
  CHECK(result.exitStatus == 1);
  CHECK(result.err.find("/insight/masking_limits/0/track: no track is named \"lead\"") != std::string::npos);
  CHECK(result.err.find("/insight/masking_limits/0: a masking limit needs the masking analysis") != std::string::npos);
  CHECK(result.err.find("/insight/reference_tolerance_db: a tolerance against the references needs") != std::string::npos);
}

}  // namespace mixdown::test
