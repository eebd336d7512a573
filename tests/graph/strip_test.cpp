// A node's strip (graph/strip.h) on its own, driven block by block in the
// graph's order: its outputs against the pan law, balance and fader formulas,
// a send's level and pan, automation per frame, bypass as a pure delay, sums
// of inputs, and the meters.

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <numbers>
#include <optional>

#include <sndfile.h>

#include "mixdown/graph/build.h"
#include "mixdown/graph/plan.h"
#include "mixdown/graph/strip.h"
#include "mixdown/session/load.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"
#include "support/test_processors.h"
#include "support/test_signals.h"

using namespace mixdown;

namespace {

constexpr int kRate = 48000;
constexpr int kBlock = 256;
constexpr int kBlocks = 4;
constexpr int kFrames = kBlock * kBlocks;

double gainOfDb(double decibels) { return std::pow(10.0, decibels / 20.0); }

/** A session's graph, compiled (by default without rewrites, every node tapped), and a strip per node. */
struct Strips {
  Strips(const test::TempDir& dir, const std::string& text, const std::optional<std::vector<int>>& tappedNodes = std::nullopt,
         const graph::PlanOptions& options = {false, false}) {
    session::LoadResult result = session::loadDocument(nlohmann::json::parse(text), dir.file("song.json"), {});
    for (const auto& line : result.diagnostics.format("song.json")) MESSAGE(line);
    REQUIRE(result.loaded.has_value());
    loaded = std::move(*result.loaded);
    graph = graph::buildGraph(loaded.session, loaded.sources, {kRate, kBlock, &test::makeTestProcessor});
    plan = graph::compilePlan(graph, tappedNodes, options);
    for (size_t node = 0; node < graph.nodes.size(); ++node) strips.emplace_back(graph, plan, static_cast<int>(node));
  }
  /** Each node's strip on block, in the graph's order. */
  void process(const graph::Block& block) {
    for (int node : graph.order) strips[static_cast<size_t>(node)].process(block, strips);
  }
  /** Runs every block; calls read(block) after each. */
  template <typename Read>
  void run(Read read) {
    for (int sequence = 0; sequence < kBlocks; ++sequence) {
      const graph::Block block{sequence, std::int64_t{sequence} * kBlock, kBlock};
      process(block);
      read(block);
    }
  }
  const graph::Strip& operator[](const std::string& name) const { return strips[static_cast<size_t>(graph.nodeIndex(name))]; }

  session::LoadedSession loaded;
  graph::Graph graph;
  graph::ExecutionPlan plan;
  std::vector<graph::Strip> strips;
};

}  // namespace

TEST_CASE("strip: a mono track is placed by the -3 dB pan law times its fader, its sends by their level, fader and pan") {
  test::TempDir dir;
  const std::vector<float> source = test::makeSine(440.0, kRate, kFrames, 0.5);
  test::writeSoundFile(dir.file("mono.wav"), {source}, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  Strips strips(dir, R"({"mixdown": 1, "tail_s": 0, "buses": [{"name": "fx"}],
    "tracks": [{"name": "t", "source": "mono.wav", "gain_db": -6, "pan": 0.3,
                "sends": [{"bus": "fx", "level_db": -10, "pre_fader": true, "pan": -0.5}, {"bus": "fx", "level_db": -3}]}]})");
  // -3 dB law: left cos(theta), right sin(theta), theta = (pan + 1) pi / 4.
  const auto lawOf = [](double pan) {
    const double theta = (pan + 1.0) * std::numbers::pi / 4.0;
    return std::pair{std::cos(theta), std::sin(theta)};
  };
  const auto [left, right] = lawOf(0.3);
  const auto [preLeft, preRight] = lawOf(-0.5);
  const double fader = gainOfDb(-6.0);
  // What reaches the bus: the pre-fader send at its own pan, plus the post-fader send at the track's pan.
  const double busLeft = gainOfDb(-10.0) * preLeft + gainOfDb(-3.0) * fader * left;
  const double busRight = gainOfDb(-10.0) * preRight + gainOfDb(-3.0) * fader * right;
  float outputPeak = 0.0f;
  strips.run([&](const graph::Block& block) {
    const ConstAudioBlock output = strips["t"].output(block);
    const ConstAudioBlock bus = strips["fx"].sumInput(block);
    for (int frame = 0; frame < kBlock; ++frame) {
      const double x = source[static_cast<size_t>(block.startFrame + frame)];
      REQUIRE(output.channel(0)[frame] == doctest::Approx(x * left * fader).epsilon(1e-6));
      REQUIRE(output.channel(1)[frame] == doctest::Approx(x * right * fader).epsilon(1e-6));
      REQUIRE(bus.channel(0)[frame] == doctest::Approx(x * busLeft).epsilon(1e-6));
      REQUIRE(bus.channel(1)[frame] == doctest::Approx(x * busRight).epsilon(1e-6));
      outputPeak = std::max({outputPeak, std::abs(output.channel(0)[frame]), std::abs(output.channel(1)[frame])});
    }
  });
  const graph::Block last{kBlocks - 1, (kBlocks - 1) * kBlock, kBlock};
  const graph::NodeMeters& meters = strips["t"].meters(last);
  CHECK(meters.inputPeak == static_cast<float>(test::peakOf(source)));
  CHECK(meters.postInsertPeak == meters.inputPeak);  // no inserts
  CHECK(meters.outputPeak == outputPeak);
  CHECK(meters.outputPeak == doctest::Approx(0.5 * right * fader).epsilon(1e-3));  // the louder side, near a crest
}

TEST_CASE("strip: a stereo track is balanced (the far side falls linearly) and its polarity inverted") {
  test::TempDir dir;
  const std::vector<float> leftSource = test::makeSine(300.0, kRate, kFrames, 0.4);
  const std::vector<float> rightSource = test::makeSine(700.0, kRate, kFrames, 0.3);
  test::writeSoundFile(dir.file("stereo.wav"), {leftSource, rightSource}, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  Strips strips(dir, R"({"mixdown": 1, "tail_s": 0,
    "tracks": [{"name": "t", "source": "stereo.wav", "pan": 0.25, "gain_db": 2, "invert_polarity": true}]})");
  const double fader = gainOfDb(2.0);
  strips.run([&](const graph::Block& block) {
    const ConstAudioBlock output = strips["t"].output(block);
    for (int frame = 0; frame < kBlock; ++frame) {
      const auto at = static_cast<size_t>(block.startFrame + frame);
      REQUIRE(output.channel(0)[frame] == doctest::Approx(-leftSource[at] * (1.0 - 0.25) * fader).epsilon(1e-6));
      REQUIRE(output.channel(1)[frame] == doctest::Approx(-rightSource[at] * fader).epsilon(1e-6));
    }
  });
}

TEST_CASE("strip: an automated fader follows its curve per frame, a bypassed latent insert is a pure delay") {
  test::TempDir dir;
  const std::vector<float> source = test::makeSine(1000.0, kRate, kFrames, 0.5);
  test::writeSoundFile(dir.file("mono.wav"), {source}, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  // The fader rises linearly in dB from -20 to 0 over the first 0.01 s (480 frames), then holds.
  Strips strips(dir, R"({"mixdown": 1, "tail_s": 0, "pan_law": "0dB",
    "tracks": [{"name": "t", "source": "mono.wav", "gain_db": {"points": [[0, -20], [0.01, 0]]},
                "inserts": [{"type": "gain", "name": "latent", "bypass": true}]}]})");
  const int delay = test::kTestLatencyFrames;
  REQUIRE(strips.graph.nodes[0].outputLatencyFrames == delay);
  strips.run([&](const graph::Block& block) {
    const ConstAudioBlock output = strips["t"].output(block);
    for (int frame = 0; frame < kBlock; ++frame) {
      const std::int64_t engineFrame = block.startFrame + frame;
      // The signal is delay frames late, and so is the curve (both on the session timeline).
      const std::int64_t sessionFrame = engineFrame - delay;
      const double x = sessionFrame >= 0 ? source[static_cast<size_t>(sessionFrame)] : 0.0;
      const double db = sessionFrame <= 0 ? -20.0 : std::min(0.0, -20.0 + 20.0 * static_cast<double>(sessionFrame) / 480.0);
      // 0 dB law at the centre: both sides at unity.
      REQUIRE(output.channel(0)[frame] == doctest::Approx(x * gainOfDb(db)).epsilon(1e-6));
      REQUIRE(output.channel(1)[frame] == doctest::Approx(x * gainOfDb(db)).epsilon(1e-6));
    }
  });
}

TEST_CASE("strip: a bus sums its inputs, a placed edge to the bits of a written one") {
  test::TempDir dir;
  const std::vector<float> a = test::makeSine(200.0, kRate, kFrames, 0.3);
  const std::vector<float> b = test::makeSine(900.0, kRate, kFrames, 0.2);
  test::writeSoundFile(dir.file("a.wav"), {a}, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  test::writeSoundFile(dir.file("b.wav"), {b}, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  const std::string text = R"({"mixdown": 1, "tail_s": 0, "pan_law": "-6dB", "buses": [{"name": "bus", "gain_db": -1}],
    "tracks": [{"name": "a", "source": "a.wav", "pan": -1, "output": "bus"},
               {"name": "b", "source": "b.wav", "pan": 1, "gain_db": -4, "output": "bus", "inserts": [{"type": "gain", "name": "latent"}]}]})";
  Strips written(dir, text);
  // The same graph where only the master is tapped, placed sums on: the tracks and the bus write no output.
  Strips placed(dir, text, std::vector<int>{written.graph.masterNode}, {false, true});
  REQUIRE(placed.plan.edges[static_cast<size_t>(placed.plan.nodes[0].output)].placed);
  const int delay = test::kTestLatencyFrames;
  for (int sequence = 0; sequence < kBlocks; ++sequence) {
    const graph::Block block{sequence, std::int64_t{sequence} * kBlock, kBlock};
    written.process(block);
    placed.process(block);
    // Hard left and hard right under the -6 dB law: a on the left at unity, b on the right at its fader;
    // a is delayed to meet b behind its latent insert.
    const ConstAudioBlock sum = written["bus"].sumInput(block);
    for (int frame = 0; frame < kBlock; ++frame) {
      const std::int64_t sessionFrame = block.startFrame + frame - delay;
      const double aAt = sessionFrame >= 0 ? a[static_cast<size_t>(sessionFrame)] : 0.0;
      const double bAt = sessionFrame >= 0 ? b[static_cast<size_t>(sessionFrame)] : 0.0;
      REQUIRE(sum.channel(0)[frame] == doctest::Approx(aAt).epsilon(1e-6));
      REQUIRE(sum.channel(1)[frame] == doctest::Approx(bAt * gainOfDb(-4.0)).epsilon(1e-6));
    }
    const ConstAudioBlock expected = written["master"].output(block), actual = placed["master"].output(block);
    for (int channel = 0; channel < 2; ++channel)
      REQUIRE(std::memcmp(expected.channel(channel), actual.channel(channel), sizeof(float) * kBlock) == 0);
  }
  CHECK_THROWS_AS(placed["a"].output({0, 0, kBlock}), std::logic_error);
}
