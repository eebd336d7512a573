// loadDocument reports every problem one pass can know: a problem said once however often it
// recurs (a missing tempo), routing problems beside structural ones, and nothing that only the
// pass's own removal of bad members would cause.

#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "support/session_problems.h"

using nlohmann::json;
using mixdown::session::Diagnostics;

namespace {

std::size_t countMentioning(const Diagnostics& problems, const std::string& part) {
  return static_cast<std::size_t>(std::count_if(problems.items().begin(), problems.items().end(), [&](const auto& problem) {
    return problem.message.find(part) != std::string::npos;
  }));
}

std::string listed(const Diagnostics& problems) {
  std::string text;
  for (const auto& problem : problems.items()) text += problem.pointer + ": " + problem.message + "\n";
  return text;
}

}  // namespace

TEST_CASE("load: musical time without a tempo is one problem naming every place") {
  json points = json::array();
  for (int bar = 1; bar <= 13; ++bar) points.push_back({std::to_string(bar) + ":1", 0});
  json session = {{"mixdown", 1},
                  {"tracks", {{{"name", "a"}, {"source", "a.wav"}, {"gain_db", {{"points", points}}}}}},
                  {"buses", {{{"name", "echo"}, {"inserts", {{{"type", "delay"}, {"time_beats", 0.5}}}}}}}};
  const Diagnostics problems = mixdown::test::sessionProblems(session);
  INFO(listed(problems));
  REQUIRE(problems.size() == 1);  // the delay's time_beats, removed to check further, leaves no second problem
  const auto& problem = problems.items().front();
  CHECK(problem.pointer == "/tracks/0/gain_db/points/0/0");
  CHECK(problem.message.find("\"bar:beat\" times and times in beats need a top-level \"tempo\"") == 0);
  CHECK(problem.message.find("(14 places)") != std::string::npos);  // 13 points and the delay
  CHECK(problem.message.find("/tracks/0/gain_db/points/5/0 and 8 more") != std::string::npos);
}

TEST_CASE("load: structural and routing problems in one pass, five of five") {
  const json session = json::parse(R"({
    "mixdown": 1,
    "tracks": [
      {"name": "a", "source": "a.wav", "gian_db": -3, "pan": 3},
      {"name": "b", "source": "b.wav", "output": "drumz", "inserts": [{"type": "compresor"}]},
      {"name": "c", "source": "c.wav", "sends": [{"bus": "reverbb"}], "volume": 2}
    ],
    "buses": [{"name": "drums"}, {"name": "reverb"}]
  })");
  const Diagnostics problems = mixdown::test::sessionProblems(session);
  INFO(listed(problems));
  CHECK(problems.size() == 6);
  CHECK(countMentioning(problems, "unknown key \"gian_db\"") == 1);
  CHECK(countMentioning(problems, "must be <= 1, got 3") == 1);
  CHECK(countMentioning(problems, "unknown processor type \"compresor\"") == 1);
  CHECK(countMentioning(problems, "unknown key \"volume\" (did you mean \"gain_db\"?)") == 1);
  CHECK(countMentioning(problems, "output \"drumz\" is not a bus") == 1);
  CHECK(countMentioning(problems, "send destination \"reverbb\" is not a bus") == 1);
}

TEST_CASE("load: a problem in a required key stops the further checks rather than guess") {
  const json session = json::parse(R"({
    "mixdown": 1,
    "tracks": [{"name": "bad/name", "source": "a.wav", "output": "nowhere"}]
  })");
  const Diagnostics problems = mixdown::test::sessionProblems(session);
  INFO(listed(problems));
  CHECK(problems.size() == 1);
  CHECK(problems.items().front().pointer == "/tracks/0/name");
}
