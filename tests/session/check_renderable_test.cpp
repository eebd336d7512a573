#include <doctest/doctest.h>

#include "mixdown/session/load.h"
#include "support/session_problems.h"

using nlohmann::json;
using namespace mixdown::session;

TEST_CASE("session: processor and strip automation pass, automation of a delay line's length is refused by name") {
  const auto problems = mixdown::test::sessionProblems(R"({"mixdown": 1, "tempo": {"bpm": 100},
    "tracks": [{"name": "a", "source": "a.wav", "pan": {"points": [[0, -1], [4, 1]]},
                "sends": [{"bus": "fx", "level_db": {"points": [[0, -20], [2, 0]], "curve": "step"}}],
                "inserts": [{"type": "eq", "bands": [{"type": "peak", "freq_hz": {"points": [[0, 500], [1, 900]]}}]},
                            {"type": "compressor", "threshold_db": {"points": [[0, -20], ["2:1", -30]]}},
                            {"type": "delay", "time_beats": {"points": [[0, 0.5], [1, 0.75]]},
                             "feedback": {"points": [[0, 0.2], [1, 0.5]]}}]}],
    "buses": [{"name": "fx", "inserts": [{"type": "reverb", "size": {"points": [[0, 0.2], [1, 0.9]]},
                                           "predelay_ms": {"points": [[0, 10], [1, 30]]},
                                           "decay_s": {"points": [[0, 1], [1, 3]]}}]}],
    "master": {"gain_db": {"points": [[0, 0]]}}})");
  REQUIRE(problems.size() == 3);
  for (const char* pointer :
       {"/tracks/0/inserts/2/time_beats", "/buses/0/inserts/0/size", "/buses/0/inserts/0/predelay_ms"}) {
    INFO(pointer);
    bool found = false;
    for (const auto& item : problems.items())
      found = found || (item.pointer == pointer && item.message.find("cannot automate") != std::string::npos);
    CHECK(found);
  }
}
