// mixdown init: a starting session for a folder or files that validates and renders as it is,
// with names, rates, channels and pairs read from the files, and that never replaces a file
// without --force.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli/render_support.h"
#include "support/cli_fixtures.h"

namespace mixdown::test {

namespace {

constexpr std::int64_t kFrames = 24000;

nlohmann::json trackNamed(const nlohmann::json& session, const std::string& name) {
  for (const auto& track : session.at("tracks"))
    if (track.at("name") == name) return track;
  FAIL("no track " << name);
  return {};
}

}  // namespace

TEST_CASE("cli: init writes a session for a folder that validates and renders as it is") {
  RenderFolder folder;
  folder.writeSource("gtr_L.wav", noiseChannels(kFrames, 1, 0.3, 1), 48000);
  folder.writeSource("gtr_R.wav", noiseChannels(kFrames, 1, 0.3, 2), 48000);
  folder.writeSource("keys.L.wav", noiseChannels(kFrames, 1, 0.3, 3), 48000);  // no keys.R: not a pair
  folder.writeSource("pad (take 2)!.wav", noiseChannels(kFrames, 2, 0.2, 4), 48000);
  folder.writeSource("vox.wav", noiseChannels(kFrames / 2, 1, 0.3, 5), 44100);
  writeTextFile(folder.file("audio/notes.txt"), "not audio\n");

  const CommandResult init = folder.run({"init", "audio", "-o", "song.json"});
  CHECK(init.out.empty());
  const nlohmann::json session = nlohmann::json::parse(readTextFile(folder.file("song.json")));
  CHECK(session.at("mixdown") == 1);
  CHECK(session.at("sample_rate") == 48000);  // four files at 48 kHz, one at 44.1
  CHECK(session.at("tracks").size() == 5);
  CHECK(trackNamed(session, "gtr_L").at("pan") == -1.0);
  CHECK(trackNamed(session, "gtr_R").at("pan") == 1.0);
  CHECK_FALSE(trackNamed(session, "keys.L").contains("pan"));
  CHECK(trackNamed(session, "pad _take 2__").at("source") == "audio/pad (take 2)!.wav");
  CHECK(trackNamed(session, "pad _take 2__").at("_comment").get<std::string>().rfind("stereo, 48000 Hz", 0) == 0);
  CHECK(trackNamed(session, "vox").at("_comment").get<std::string>().find("resampled to 48000 Hz") != std::string::npos);
  CHECK(session.at("master").at("loudness").at("target_lufs") == -14.0);
  CHECK(session.at("outputs").at("stems").at("of") == "tracks");

  folder.run({"validate", "song.json"});
  folder.run({"render", "song.json", "-o", "out"});
  CHECK(readOutput(folder.file("out/mix.wav")).channels == 2);
  for (const char* stem : {"gtr_L", "gtr_R", "keys.L", "pad _take 2__", "vox"})
    CHECK_MESSAGE(std::filesystem::exists(folder.file("out/stems/" + std::string(stem) + ".wav")), stem);
}

TEST_CASE("cli: init never replaces a file without --force, and names a file that is not audio") {
  RenderFolder folder;
  folder.writeSource("a.wav", noiseChannels(kFrames, 1, 0.3, 1), 48000);
  folder.writeSource("a.flac.wav", noiseChannels(kFrames, 1, 0.3, 2), 48000);
  writeTextFile(folder.file("song.json"), "mine\n");
  const CommandResult refused = runMixdown({"init", "audio", "-o", "song.json"}, folder.path());
  CHECK(refused.exitStatus == 1);
  CHECK(refused.err.find("\"song.json\" exists; --force replaces it") != std::string::npos);
  CHECK(readTextFile(folder.file("song.json")) == "mine\n");

  folder.run({"init", "audio/a.wav", "audio/a.flac.wav", "-o", "song.json", "--force"});
  const nlohmann::json session = nlohmann::json::parse(readTextFile(folder.file("song.json")));
  CHECK(session.at("tracks").size() == 2);
  CHECK(session.at("tracks")[1].at("name") == "a.flac");

  const CommandResult printed = folder.run({"init", "audio/a.wav"});
  CHECK(nlohmann::json::parse(printed.out).at("tracks")[0].at("source") == "audio/a.wav");

  writeTextFile(folder.file("audio/b.wav"), "not audio\n");
  const CommandResult bad = runMixdown({"init", "audio/b.wav"}, folder.path());
  CHECK(bad.exitStatus == 1);
  CHECK(bad.err.find("audio/b.wav") != std::string::npos);
  CHECK(bad.out.empty());

  TempDir empty;
  const CommandResult none = runMixdown({"init", empty.path().string()}, folder.path());
  CHECK(none.exitStatus == 1);
  CHECK(none.err.find("no audio files") != std::string::npos);
}

}  // namespace mixdown::test
