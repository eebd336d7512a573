// The documented limits of a session (docs/session.md, "Limits"): tracks,
// buses, routing depth, variants, variant sets, automation points and the
// segments of a --set or variant path. At the limit a session is valid; one
// past it, validate and render refuse it (exit 1) with the file and the JSON
// Pointer of what is too large, and leave the folder as it was. A chain of
// 20 000 buses (which overflowed the stack of a recursive routing walk) is
// refused the same way.

#include <doctest/doctest.h>

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/large_sessions.h"
#include "support/refusal_check.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

using nlohmann::json;

/** A folder with tone.wav and the session as s.json. */
struct SessionFolder {
  TempDir folder;
  explicit SessionFolder(const json& session) {
    writeTone(folder.path());
    writeJsonFile(folder.file("s.json"), session);
  }
};

void checkValid(const json& session) {
  SessionFolder at(session);
  const CommandResult result = runProgram(mixdownBinary(), {"validate", "s.json"}, at.folder.path(), 60.0);
  CHECK_MESSAGE(result.exitStatus == 0, result.status() << "\n" << result.err.substr(0, 2000));
}

void checkRefused(const json& session, const std::vector<std::string>& arguments, const std::string& message) {
  SessionFolder at(session);
  for (const std::string command : {"validate", "render"}) {
    INFO("mixdown " << command);
    std::vector<std::string> all{command, "s.json"};
    all.insert(all.end(), arguments.begin(), arguments.end());
    checkMixdownRefuses(all, at.folder.path(), 1, {message});
  }
}

}  // namespace

TEST_CASE("cli: at most 10000 tracks and 10000 buses") {
  checkRefused(sessionWithTracks(10001), {}, "s.json: /tracks: must hold at most 10000 elements, got 10001");
  json buses = sessionWithTracks(1);
  for (std::size_t index = 0; index < 10001; ++index) buses["buses"].push_back({{"name", numbered("b", index)}});
  checkRefused(buses, {}, "s.json: /buses: must hold at most 10000 elements, got 10001");
  // The chain that overflowed the stack of the recursive cycle check (exit 139).
  checkRefused(chainOfBuses(20000), {}, "s.json: /buses: must hold at most 10000 elements, got 20000");
}

TEST_CASE("cli: routing at most 4096 tracks and buses deep, refused at the edge that goes deeper") {
  checkValid(chainOfBuses(4095));  // the track and 4095 buses
  checkRefused(chainOfBuses(4096), {},
               "s.json: /buses/4094/output: routing is deeper than 4096 tracks and buses one after another");
}

TEST_CASE("cli: --set and variant paths have at most 64 segments") {
  json session = sessionWithTracks(1);
  // 64 segments, the last 62 keys beginning with '_' (comments): a valid session.
  std::string commentPath = "tracks.t0";
  for (int segment = 2; segment < 64; ++segment) commentPath += "._";
  json atLimit = session;
  atLimit["variants"] = {{"v", {{"set", {{commentPath, 1}}}}}};
  checkValid(atLimit);
  checkRefused(session, {"--set", pathOfSegments(4000) + "=1"}, "s.json: /: --set tracks.t0.x.x");
  checkRefused(session, {"--set", pathOfSegments(65) + "=1"}, "a path may have at most 64 segments, got 65");
  json variant = session;
  variant["variants"] = {{"v", {{"set", {{pathOfSegments(3000), 1}}}}}};
  checkRefused(variant, {}, "s.json: /variants/v/set: --set tracks.t0.x.x");
  checkRefused(variant, {}, "a path may have at most 64 segments, got 3000");
}

TEST_CASE("cli: at most 32 variants, 256 sets in one, 100000 automation points in one automation") {
  json variants = sessionWithTracks(1);
  for (std::size_t index = 0; index < 33; ++index) variants["variants"][numbered("v", index)] = json::object();
  checkRefused(variants, {}, "s.json: /variants: must hold at most 32 entries, got 33");

  json sets = sessionWithTracks(1);
  for (std::size_t index = 0; index < 257; ++index) sets["variants"]["v"]["set"][numbered("tracks.t0.x", index)] = -1;
  checkRefused(sets, {}, "s.json: /variants/v/set: must hold at most 256 entries, got 257");

  json automation = sessionWithTracks(1);
  json points = json::array();
  for (int index = 0; index <= 100000; ++index) points.push_back({index * 0.001, -1.0});
  automation["tracks"][0]["gain_db"] = {{"points", points}};
  checkRefused(automation, {}, "s.json: /tracks/0/gain_db/points: must hold at most 100000 elements, got 100001");
}

}  // namespace mixdown::test
