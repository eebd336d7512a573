#include <doctest/doctest.h>

#include "mixdown/session/load.h"
#include "mixdown/session/validate.h"
#include "support/session_problems.h"

using nlohmann::json;
using namespace mixdown::session;

namespace {

json minimalSession() {
  return json::parse(R"({"mixdown": 1, "tracks": [{"name": "kick", "source": "kick.wav"}]})");
}

bool hasProblem(const Diagnostics& diagnostics, const std::string& pointer, const std::string& messagePart) {
  for (const auto& item : diagnostics.items())
    if (item.pointer == pointer && item.message.find(messagePart) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("session: a minimal session is valid and takes its defaults from the tables") {
  LoadOptions options;
  options.probeSources = false;
  const LoadResult result = loadDocument(minimalSession(), "dir/song.json", options);
  REQUIRE(result.diagnostics.empty());
  const Session& session = result.loaded->session;
  CHECK(session.panLaw == PanLaw::Minus3Db);
  CHECK_FALSE(session.tailS.has_value());  // auto
  CHECK(session.tracks.at(0).output == "master");
  CHECK(session.tracks.at(0).clips.at(0).file == std::filesystem::path("dir/kick.wav"));
  CHECK(session.outputs.mix->bitDepth == BitDepth::Pcm24);
  CHECK(session.outputs.mix->dither == Dither::None);
  CHECK_FALSE(session.outputs.stems.has_value());
}

TEST_CASE("session: unknown keys are errors with a suggestion and _ keys are comments") {
  json document = minimalSession();
  document["tracks"][0]["gian_db"] = 1;
  document["_comment"] = "ignored";
  document["tracks"][0]["_note"] = json::object({{"anything", true}});
  const Diagnostics problems = mixdown::test::sessionProblems(document);
  REQUIRE(problems.size() == 1);
  CHECK(problems.items()[0].pointer == "/tracks/0/gian_db");
  CHECK(problems.items()[0].message == "unknown key \"gian_db\" (did you mean \"gain_db\"?)");
}

TEST_CASE("session: every problem is reported in one pass, each with its pointer") {
  json document = minimalSession();
  document["pan_law"] = "-5dB";
  document["tracks"][0]["pan"] = 2;
  document["tracks"][0]["mute"] = 1;
  document["tracks"][0]["inserts"] = json::parse(R"([{"type": "compressor", "ratio": 0.5}, {"type": "compresor"}])");
  document["length_s"] = 0;
  const Diagnostics problems = mixdown::test::sessionProblems(document);
  CHECK(hasProblem(problems, "/pan_law", "must be one of \"-3dB\", \"-4.5dB\", \"-6dB\", \"0dB\", got \"-5dB\""));
  CHECK(hasProblem(problems, "/tracks/0/pan", "must be <= 1, got 2"));
  CHECK(hasProblem(problems, "/tracks/0/mute", "must be true or false, got 1"));
  CHECK(hasProblem(problems, "/tracks/0/inserts/0/ratio", "must be >= 1, got 0.5"));
  CHECK(hasProblem(problems, "/tracks/0/inserts/1/type", "did you mean \"compressor\"?"));
  CHECK(hasProblem(problems, "/length_s", "must be > 0, got 0"));
  CHECK(problems.size() == 6);
}

TEST_CASE("session: non-finite numbers, wrong types and missing keys") {
  json document = minimalSession();
  document["tracks"][0]["gain_db"] = std::numeric_limits<double>::infinity();
  document["tracks"][0]["delay_ms"] = "5";
  document["tracks"].push_back(json::object({{"source", "a.wav"}}));
  const Diagnostics problems = mixdown::test::sessionProblems(document);
  CHECK(hasProblem(problems, "/tracks/0/gain_db", "must be a finite number"));
  CHECK(hasProblem(problems, "/tracks/0/delay_ms", "must be a number, got \"5\""));
  CHECK(hasProblem(problems, "/tracks/1", "missing required key \"name\""));
  CHECK(hasProblem(mixdown::test::sessionProblems(json::object({{"tracks", json::array()}})), "", "missing required key \"mixdown\""));
  CHECK(hasProblem(mixdown::test::sessionProblems(json::parse(R"({"mixdown": 1, "tracks": []})")), "/tracks", "at least 1 element"));
  CHECK(hasProblem(mixdown::test::sessionProblems(json::parse(R"({"mixdown": 2, "tracks": [{"name": "a", "source": "a.wav"}]})")),
                   "/mixdown", "must be one of 1, got 2"));
}

TEST_CASE("session: names are 1-64 letters, digits, space, _ - . and unique, and master is reserved") {
  json document = minimalSession();
  document["tracks"].push_back(json::object({{"name", "kick"}, {"source", "k2.wav"}}));
  document["tracks"].push_back(json::object({{"name", "master"}, {"source", "m.wav"}}));
  document["tracks"].push_back(json::object({{"name", "bad/name"}, {"source", "b.wav"}}));
  document["buses"] = json::array({json::object({{"name", std::string(65, 'x')}})});
  Diagnostics problems = mixdown::test::sessionProblems(document);
  CHECK(hasProblem(problems, "/tracks/3/name", "must be a name of 1-64"));
  CHECK(hasProblem(problems, "/buses/0/name", "must be a name of 1-64"));
  document["tracks"].erase(3);
  document["buses"] = json::array({json::object({{"name", "kick"}})});
  problems = mixdown::test::sessionProblems(document);
  CHECK(hasProblem(problems, "/tracks/1/name", "name \"kick\" is already used at /tracks/0/name"));
  CHECK(hasProblem(problems, "/tracks/2/name", "\"master\" is reserved"));
  CHECK(hasProblem(problems, "/buses/0/name", "already used"));
}

TEST_CASE("session: automation objects are checked against the parameter's range and time order") {
  json document = minimalSession();
  document["tracks"][0]["gain_db"] = json::parse(R"({"points": [[0, 0], [2, 30], [1, 0]], "curve": "cubic"})");
  document["tracks"][0]["pan"] = json::parse(R"({"points": [["2:1", 0]]})");
  const Diagnostics problems = mixdown::test::sessionProblems(document);
  CHECK(hasProblem(problems, "/tracks/0/gain_db/points/1/1", "must be <= 24, got 30"));
  CHECK(hasProblem(problems, "/tracks/0/gain_db/points/2/0", "times must not decrease"));
  CHECK(hasProblem(problems, "/tracks/0/gain_db/curve", "must be one of"));
  CHECK(hasProblem(problems, "/tracks/0/pan/points/0/0", "need a top-level \"tempo\""));
}

TEST_CASE("session: closestMatch suggests only likely typos") {
  CHECK(closestMatch("treshold_db", {"threshold_db", "ratio"}) == std::optional<std::string>("threshold_db"));
  CHECK_FALSE(closestMatch("volume", {"threshold_db", "ratio"}).has_value());
}

TEST_CASE("session: saturation even is range-checked with its pointer and is a plain number") {
  json document = minimalSession();
  document["tracks"][0]["inserts"] = json::parse(R"([{"type": "saturation", "even": 1.5},
      {"type": "saturation", "even": -0.1}, {"type": "saturation", "even": {"points": [[0, 0.5], [1, 2]]}},
      {"type": "saturation", "even": 0.7}])");
  const Diagnostics problems = mixdown::test::sessionProblems(document);
  CHECK(hasProblem(problems, "/tracks/0/inserts/0/even", "must be <= 1, got 1.5"));
  CHECK(hasProblem(problems, "/tracks/0/inserts/1/even", "must be >= 0, got -0.1"));
  CHECK(hasProblem(problems, "/tracks/0/inserts/2/even", "must be a number, got an object"));
  CHECK(problems.size() == 3);
}

TEST_CASE("session: gate hysteresis_db is range-checked with its pointer") {
  json document = minimalSession();
  document["tracks"][0]["inserts"] = json::parse(R"([{"type": "gate", "hysteresis_db": 30},
      {"type": "gate", "hysteresis_db": -1}, {"type": "gate", "hysteresis_db": 6}])");
  const Diagnostics problems = mixdown::test::sessionProblems(document);
  CHECK(hasProblem(problems, "/tracks/0/inserts/0/hysteresis_db", "must be <= 24, got 30"));
  CHECK(hasProblem(problems, "/tracks/0/inserts/1/hysteresis_db", "must be >= 0, got -1"));
  CHECK(problems.size() == 2);
}
