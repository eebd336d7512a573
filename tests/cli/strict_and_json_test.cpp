// End-to-end: render --strict and --fail-on (warnings as errors, nothing
// kept), and --json diagnostics of validate and render (one object per
// problem per line of stderr, its schema checked).

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "cli/render_support.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int kRate = 48000;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/** One track of noise at amplitude, raised by gainDb; a 24-bit mix. */
void writeLoudSession(const RenderFolder& folder, double amplitude, double gainDb) {
  folder.writeSource("noise.wav", noiseChannels(9600, 1, amplitude, 5), kRate);
  folder.writeSession({{"mixdown", 1},
                       {"tail_s", 0},
                       {"pan_law", "0dB"},
                       {"tracks", {{{"name", "noise"}, {"source", "audio/noise.wav"}, {"gain_db", gainDb}}}},
                       {"outputs", {{"dir", "out"}}}});
}

/** Each line of text parsed as JSON; REQUIREs that every line is one object. */
std::vector<json> jsonLines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    INFO("line: " << line);
    const json parsed = json::parse(line, nullptr, false);
    REQUIRE(parsed.is_object());
    lines.push_back(parsed);
  }
  return lines;
}

/** The schema of CLI.md 1.1: severity, file, pointer, code, message; line and column only for a syntax error. */
void checkProblemSchema(const json& problem) {
  INFO("problem: " << problem.dump());
  REQUIRE(problem.contains("severity"));
  CHECK((problem.at("severity") == "error" || problem.at("severity") == "warning"));
  for (const char* key : {"file", "pointer", "code", "message"}) CHECK_MESSAGE(problem.contains(key), key);
  CHECK((problem.at("file").is_string() || problem.at("file").is_null()));
  CHECK((problem.at("pointer").is_null() || (problem.at("pointer").is_string() &&
                                               (problem.at("pointer") == "" || problem.at("pointer").get<std::string>()[0] == '/'))));
  CHECK(problem.at("code").is_string());
  CHECK(!problem.at("code").get<std::string>().empty());
  CHECK(problem.at("message").is_string());
  for (const auto& [key, value] : problem.items()) {
    INFO("key: " << key);
    const bool known = key == "severity" || key == "file" || key == "pointer" || key == "code" || key == "message" ||
                       ((key == "line" || key == "column") && value.is_number_integer() && problem.at("pointer").is_null());
    CHECK(known);
  }
}

}  // namespace

TEST_CASE("cli: render --strict fails on any warning with exit 1 and keeps nothing") {
  RenderFolder folder;
  writeLoudSession(folder, 0.5, 12.0);  // 0.5 * 4 = 2: clips after the fader
  const TreeSnapshot before = snapshotTree(folder.path());
  const CommandResult strict = runMixdown({"render", "session.json", "--strict"}, folder.path());
  INFO(strict.err);
  CHECK(strict.exitStatus == 1);
  CHECK(contains(strict.err, "mixdown: error: session.json: track \"noise\" clips after its fader"));
  CHECK(contains(strict.err, "--strict: warnings are errors; nothing was written"));
  CHECK(describeTreeChanges(before, snapshotTree(folder.path())).empty());
  // Without --strict the same render succeeds, with the warnings.
  const CommandResult plain = folder.run({"render", "session.json", "--quiet"});
  CHECK(contains(plain.err, "mixdown: warning: session.json: track \"noise\" clips after its fader"));
}

TEST_CASE("cli: --fail-on fails only on the kinds named, by code or group, an unknown kind is a usage error") {
  RenderFolder folder;
  // Sample peak near -0.4 dBFS, no clipping: only the true-peak warning (above -1 dBTP).
  writeLoudSession(folder, 0.95, 0.0);
  const TreeSnapshot before = snapshotTree(folder.path());
  const CommandResult clipping = runMixdown({"render", "session.json", "--fail-on", "clipping,dc-offset"}, folder.path());
  INFO(clipping.err);
  CHECK(clipping.exitStatus == 0);
  CHECK(contains(clipping.err, "mixdown: warning: session.json: mix.wav: true peak"));
  fs::remove_all(folder.file("out"));

  for (const char* kind : {"true-peak", "true-peak.over", "all", "clipping,true-peak"}) {
    const CommandResult failed = runMixdown({"render", "session.json", "--fail-on", kind}, folder.path());
    INFO("--fail-on " << kind << "\n" << failed.err);
    CHECK(failed.exitStatus == 1);
    CHECK(contains(failed.err, "mixdown: error: session.json: mix.wav: true peak"));
    CHECK(describeTreeChanges(before, snapshotTree(folder.path())).empty());
  }
  const CommandResult unknown = runMixdown({"render", "session.json", "--fail-on", "clipping,loudnes"}, folder.path());
  CHECK(unknown.exitStatus == 2);
  CHECK(contains(unknown.err, "--fail-on: no warning kind \"loudnes\"; the kinds: all, clipping, clipping.node, clipping.samples"));
  CHECK(describeTreeChanges(before, snapshotTree(folder.path())).empty());
}

TEST_CASE("cli: validate --json prints one object per problem with file, pointer, severity, code and message") {
  RenderFolder folder;
  folder.writeSource("noise.wav", noiseChannels(4800, 1, 0.1, 5), kRate);
  folder.writeSession({{"mixdown", 1},
                       {"tracks", {{{"name", "a"}, {"source", "audio/noise.wav"}, {"gain_db", 99}},
                                   {{"name", "b"}, {"source", "audio/noise.wav"}, {"pann", 0}}}}});
  const CommandResult result = runMixdown({"validate", "session.json", "--json"}, folder.path());
  CHECK(result.exitStatus == 1);
  const std::vector<json> problems = jsonLines(result.err);
  REQUIRE(problems.size() == 2);
  std::vector<std::string> pointers;
  for (const json& problem : problems) {
    checkProblemSchema(problem);
    CHECK(problem.at("severity") == "error");
    CHECK(problem.at("file") == "session.json");
    CHECK(problem.at("code") == "session.invalid");
    pointers.push_back(problem.at("pointer").get<std::string>());
  }
  std::sort(pointers.begin(), pointers.end());
  CHECK(pointers == std::vector<std::string>{"/tracks/0/gain_db", "/tracks/1/pann"});

  writeTextFile(folder.file("broken.json"), "{\"mixdown\": 1,\n \"tracks\": [],\n}\n");
  const CommandResult syntax = runMixdown({"validate", "broken.json", "--json"}, folder.path());
  const std::vector<json> syntaxProblems = jsonLines(syntax.err);
  REQUIRE(syntaxProblems.size() == 1);
  checkProblemSchema(syntaxProblems[0]);
  CHECK(syntaxProblems[0].at("code") == "session.syntax");
  CHECK(syntaxProblems[0].at("pointer").is_null());
  CHECK(syntaxProblems[0].at("line") == 3);
}

TEST_CASE("cli: render --json prints warnings and errors as JSON lines, with the warning's code and pointer") {
  RenderFolder folder;
  writeLoudSession(folder, 0.5, 12.0);
  const CommandResult result = runMixdown({"render", "session.json", "--json", "--quiet"}, folder.path());
  CHECK(result.exitStatus == 0);
  const std::vector<json> problems = jsonLines(result.err);
  REQUIRE(!problems.empty());
  bool sawNodeClipping = false;
  for (const json& problem : problems) {
    checkProblemSchema(problem);
    CHECK(problem.at("severity") == "warning");
    CHECK(problem.at("file") == "session.json");
    if (contains(problem.at("message").get<std::string>(), "track \"noise\" clips after its fader")) {
      sawNodeClipping = true;
      CHECK(problem.at("code") == "clipping.node");
      CHECK(problem.at("pointer") == "/tracks/0");
    }
  }
  CHECK(sawNodeClipping);

  const CommandResult strict = runMixdown({"render", "session.json", "--json", "--strict", "-o", "strict"}, folder.path());
  CHECK(strict.exitStatus == 1);
  const std::vector<json> errors = jsonLines(strict.err);
  REQUIRE(!errors.empty());
  for (const json& problem : errors) checkProblemSchema(problem);
  CHECK(errors.back().at("code") == "render.warnings-as-errors");
  CHECK(errors.front().at("severity") == "error");
  CHECK(!fs::exists(folder.file("strict")));
}

}  // namespace mixdown::test
