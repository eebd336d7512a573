// End-to-end: a render's length said before it starts. A unit slip ("at_s":
// 16000, milliseconds typed as seconds) is a warning at the clip's pointer in
// validate, --dry-run and the render; --dry-run prints the length and the
// files' size; --max-length-s refuses a longer render and stops an automatic
// tail at the cap.

#include <doctest/doctest.h>

#include <filesystem>

#include "cli/render_support.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int kRate = 48000;

/** A 1 s tone placed at at_s on one track, a 1 s tone from 0 on another: the music is 1 s, the render at_s + 1 s. */
json placedSession(double atS) {
  return {{"mixdown", 1},
          {"tail_s", 0},
          {"tracks",
           {{{"name", "late"}, {"source", {{{"file", "audio/tone.wav"}, {"at_s", atS}}}}},
            {{"name", "early"}, {"source", "audio/tone.wav"}}}},
          {"outputs", {{"dir", "out"}, {"mix", {{"file", "mix.flac"}}}}}};
}

void writeTone(const RenderFolder& folder) { folder.writeSource("tone.wav", sineChannels(440.0, kRate, kRate, 1, 0.3), kRate); }

}  // namespace

TEST_CASE("render length: a clip placed hours out is a warning at its at_s, in validate, --dry-run and the render") {
  RenderFolder folder;
  writeTone(folder);
  folder.writeSession(placedSession(16000));
  const std::string expected =
      "the render may run 4 h 26 min 41 s, while no track plays for more than 1.0 s; the clip at /tracks/0/source/0/at_s ends last";
  const CommandResult validated = runMixdown({"validate", "session.json"}, folder.path());
  CHECK(validated.exitStatus == 0);
  CHECK(validated.err.find("warning: session.json: " + expected) != std::string::npos);
  const CommandResult dry = runMixdown({"render", "session.json", "--dry-run"}, folder.path());
  CHECK(dry.out.find("session.json: runs 4 h 26 min 41 s; the files it writes take ") != std::string::npos);
  const CommandResult strict = runMixdown({"render", "session.json", "--fail-on", "length"}, folder.path());
  CHECK(strict.exitStatus == 1);
  CHECK(strict.err.find(expected) != std::string::npos);
  CHECK_FALSE(fs::exists(folder.file("out")));
}

TEST_CASE("render length: --dry-run's size is the PCM the WAV files hold, a session that plays throughout is not warned") {
  RenderFolder folder;
  writeTone(folder);
  json session = placedSession(0);
  session["length_s"] = 10;
  session["outputs"]["mix"]["file"] = "mix.wav";
  folder.writeSession(session);
  // 10 s x 48000 frames x 2 channels x 3 bytes (24-bit) + the 4096 bytes allowed for the header.
  const CommandResult dry = runMixdown({"render", "session.json", "--dry-run"}, folder.path());
  CHECK(dry.out.find("runs 10.0 s; the files it writes take 2.9 MB at most") != std::string::npos);
  CHECK(dry.err.find("the render may run") == std::string::npos);
  const CommandResult validated = runMixdown({"validate", "session.json"}, folder.path());
  CHECK(validated.out.find("runs 10.0 s, its files 2.9 MB at most)") != std::string::npos);
  CHECK(validated.err.empty());
}

TEST_CASE("render length: --max-length-s refuses a longer render and stops an automatic tail at the cap") {
  RenderFolder folder;
  writeTone(folder);
  folder.writeSession(placedSession(100));
  const CommandResult refused = runMixdown({"render", "session.json", "--max-length-s", "60"}, folder.path());
  CHECK(refused.exitStatus == 1);
  CHECK(refused.err.find("session.json: /tracks/0/source/0/at_s: the render runs 1 min 41 s, past --max-length-s 60") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(folder.file("out")));
  // A delay that rings on for seconds after 1 s of music: the automatic tail stops at 1.5 s.
  json ringing = placedSession(0);
  ringing["tail_s"] = "auto";
  ringing["tracks"][1]["inserts"] = {{{"type", "delay"}, {"time_ms", 100}, {"feedback", 0.9}, {"mix", 1}}};
  folder.writeSession(ringing);
  folder.run({"render", "session.json", "--max-length-s", "1.5", "--quiet"});
  CHECK(readOutput(folder.file("out/mix.flac")).frames == kRate * 3 / 2);
}

}  // namespace mixdown::test
