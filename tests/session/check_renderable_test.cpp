#include <doctest/doctest.h>

#include "mixdown/session/load.h"
#include "support/session_problems.h"

using nlohmann::json;
using namespace mixdown::session;

TEST_CASE("session: processor automation is validated, then named as not rendered yet, strip automation passes") {
  const auto problems = mixdown::test::sessionProblems(R"({"mixdown": 1,
    "tracks": [{"name": "a", "source": "a.wav", "pan": {"points": [[0, -1], [4, 1]]},
                "sends": [{"bus": "fx", "level_db": {"points": [[0, -20], [2, 0]], "curve": "step"}}],
                "inserts": [{"type": "eq", "bands": [{"type": "peak", "freq_hz": {"points": [[0, 500], [1, 900]]}}]}]}],
    "buses": [{"name": "fx"}],
    "master": {"gain_db": {"points": [[0, 0]]}}})");
  REQUIRE(problems.size() == 1);
  for (const char* pointer : {"/tracks/0/inserts/0/bands/0/freq_hz"}) {
    INFO(pointer);
    bool found = false;
    for (const auto& item : problems.items())
      found = found || (item.pointer == pointer && item.message.find("cannot render it yet") != std::string::npos);
    CHECK(found);
  }
}
