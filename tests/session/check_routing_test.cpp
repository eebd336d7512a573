#include <doctest/doctest.h>

#include "mixdown/session/check_routing.h"
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

namespace {

/** "b" and the index, appended: GCC 12 misreads "b" + std::string as overlapping. */
std::string busName(std::size_t index) {
  std::string name = "b";
  name += std::to_string(index);
  return name;
}

/** A session model of `buses` buses, bus i outputting to bus i + 1 and the last to `lastOutput`. */
Session busChain(std::size_t buses, const std::string& lastOutput) {
  Session session;
  for (std::size_t index = 0; index < buses; ++index) {
    Bus bus;
    bus.name = busName(index);
    bus.pointer = childPointer("/buses", index);
    bus.output = index + 1 < buses ? busName(index + 1) : lastOutput;
    session.buses.push_back(std::move(bus));
  }
  return session;
}

}  // namespace

// The model is built directly, past the limits the JSON tables set, so the walks themselves are
// what is checked: a recursive walk overflows the stack at this depth.
TEST_CASE("session: routing walks keep their own stack: a chain of 200 000 buses is checked") {
  constexpr std::size_t kBuses = 200000;
  Diagnostics deep;
  checkRouting(busChain(kBuses, "master"), deep);
  REQUIRE(deep.size() == 1);
  // Bus i ends a chain of i + 1 strips: the edge out of bus 4095 makes it 4097.
  CHECK(deep.items()[0].pointer == "/buses/4095/output");
  CHECK(deep.items()[0].message.find("routing is deeper than 4096") == 0);

  Diagnostics cycle;
  checkRouting(busChain(kBuses, "b0"), cycle);
  REQUIRE(cycle.size() == 1);
  CHECK(cycle.items()[0].pointer == "/buses/199999/output");
  // The cycle's first and last edges, and how many are left out between them.
  const std::string& message = cycle.items()[0].message;
  CHECK(message.find(std::string("routing cycle: b0 -> b1 -> b2 -> b3 -> b4 -> b5 -> (199988 more) -> b199994 -> ")) == 0);
  CHECK(message.find("b199999 -> b0 (through /buses/0/output, ") != std::string::npos);
  CHECK(message.size() < 1000);
}

TEST_CASE("session: at most 16 routing cycles are reported, each once") {
  // Every bus of a chain also sends back to its first: 999 cycles, all through b0.
  Session session = busChain(1000, "master");
  for (std::size_t index = 1; index < session.buses.size(); ++index) {
    Send send;
    send.bus = "b0";
    send.pointer = childPointer(childPointer(session.buses[index].pointer, "sends"), 0);
    session.buses[index].sends.push_back(std::move(send));
  }
  Diagnostics problems;
  checkRouting(session, problems);
  CHECK(problems.size() == 16);
  for (const auto& problem : problems.items()) CHECK(problem.message.find("routing cycle: b0 -> ") == 0);
}
