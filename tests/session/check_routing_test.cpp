#include <doctest/doctest.h>

#include "mixdown/session/load.h"
#include "support/session_problems.h"

using nlohmann::json;
using namespace mixdown::session;

namespace {

std::string allMessages(const Diagnostics& diagnostics) {
  std::string text;
  for (const auto& line : diagnostics.format("song.json")) text += line + "\n";
  return text;
}

}  // namespace

TEST_CASE("session: sends and outputs must name a bus, with suggestions for near misses") {
  const auto problems = mixdown::test::sessionProblems(R"({"mixdown": 1,
    "tracks": [{"name": "gtr", "source": "g.wav", "output": "musc", "sends": [{"bus": "verb"}]},
               {"name": "vox", "source": "v.wav", "output": "gtr"}],
    "buses": [{"name": "music"}, {"name": "reverb"}]})");
  const std::string text = allMessages(problems);
  CHECK(text.find("song.json: /tracks/0/output: output \"musc\" is not a bus (did you mean \"music\"?)") != std::string::npos);
  CHECK(text.find("song.json: /tracks/0/sends/0/bus: send destination \"verb\" is not a bus") != std::string::npos);
  CHECK(text.find("song.json: /tracks/1/output: output \"gtr\" is not a bus (it is a track)") != std::string::npos);
}

TEST_CASE("session: routing cycles through outputs, sends and sidechain keys are named") {
  const auto outputs = mixdown::test::sessionProblems(R"({"mixdown": 1, "tracks": [{"name": "a", "source": "a.wav", "output": "x"}],
    "buses": [{"name": "x", "output": "y"}, {"name": "y", "output": "x"}]})");
  REQUIRE(outputs.size() == 1);
  CHECK(outputs.items()[0].message.find("routing cycle: x -> y -> x") == 0);

  const auto sends = mixdown::test::sessionProblems(R"({"mixdown": 1, "tracks": [{"name": "a", "source": "a.wav"}],
    "buses": [{"name": "x", "sends": [{"bus": "y"}]}, {"name": "y", "output": "x"}]})");
  REQUIRE(sends.size() == 1);
  CHECK(sends.items()[0].message.find("routing cycle") == 0);
  CHECK(sends.items()[0].message.find("/buses/0/sends/0/bus") != std::string::npos);

  const auto keys = mixdown::test::sessionProblems(R"({"mixdown": 1,
    "tracks": [{"name": "a", "source": "a.wav", "output": "x", "inserts": [{"type": "compressor", "sidechain": "y"}]}],
    "buses": [{"name": "x", "output": "y"}, {"name": "y"}]})");
  const std::string text = allMessages(keys);
  CHECK(text.find("routing cycle: a -> x -> y -> a") != std::string::npos);
}

TEST_CASE("session: variants are checked as the sessions they make") {
  const auto problems = mixdown::test::sessionProblems(R"({"mixdown": 1, "tracks": [{"name": "a", "source": "a.wav"}],
    "variants": {"quiet": {"set": {"tracks.a.gain_db": 100}}, "nolead": {"mute": ["lead"]}}})");
  const std::string text = allMessages(problems);
  CHECK(text.find("/variants/nolead/mute/0: no track or bus named \"lead\"") != std::string::npos);
  CHECK(text.find("/variants/quiet: makes /tracks/0/gain_db invalid: must be <= 24, got 100") != std::string::npos);
}
