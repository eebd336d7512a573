#include <doctest/doctest.h>

#include <sndfile.h>

#include "mixdown/graph/build.h"
#include "mixdown/graph/describe.h"
#include "mixdown/session/load.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"
#include "support/test_processors.h"
#include "support/test_signals.h"

using namespace mixdown;

TEST_CASE("graph: the description shows each node's latency and the compensating delays") {
  test::TempDir dir;
  test::writeSoundFile(dir.file("sine.wav"), {test::makeSine(1000.0, 48000, 480, 0.25)}, 48000,
                       SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  const auto result = session::loadDocument(nlohmann::json::parse(R"({"mixdown": 1,
    "tracks": [{"name": "slow", "source": "sine.wav", "inserts": [{"type": "gain", "name": "latent"}]},
               {"name": "fast", "source": "sine.wav", "sends": [{"bus": "fx", "level_db": -6}]}],
    "buses": [{"name": "fx"}]})"), dir.file("song.json"), {});
  REQUIRE(result.loaded.has_value());
  const graph::Graph graph =
      graph::buildGraph(result.loaded->session, result.loaded->sources, {48000, 256, &test::makeTestProcessor});
  const std::string text = graph::describeAsText(graph);
  CHECK(text.find("total latency 24 frames") != std::string::npos);
  CHECK(text.find("track \"slow\": mono in, mono after inserts, latency 0 -> 24 frames") != std::string::npos);
  CHECK(text.find("insert gain \"latent\": latency 24 frames") != std::string::npos);
  CHECK(text.find("<- \"fast\", delayed 24 frames to align") != std::string::npos);
  CHECK(text.find("send -> \"fx\" at -6 dB, post-fader") != std::string::npos);

  const std::string dot = graph::describeAsDot(graph);
  CHECK(dot.rfind("digraph mixdown {", 0) == 0);
  CHECK(dot.find("[label=\"slow\\ntrack, latency 24\\ngain latent (24)\"]") != std::string::npos);
  CHECK(dot.find("style=dashed, label=\"send -6 dB\"") != std::string::npos);
  CHECK(dot.find("+24 frames") != std::string::npos);
  CHECK(dot.substr(dot.size() - 2) == "}\n");
}
