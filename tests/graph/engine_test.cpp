#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>

#include "mixdown/graph/build.h"
#include "mixdown/graph/engine.h"
#include "mixdown/graph/processor_factory.h"
#include "mixdown/session/load.h"
#include "support/cli_runner.h"
#include "support/engine_blocks.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"
#include "support/test_processors.h"
#include "support/test_signals.h"

#include <sndfile.h>

using nlohmann::json;
using namespace mixdown;
namespace fs = std::filesystem;

namespace {

constexpr int kRate = 48000;
constexpr int kLatency = test::kTestLatencyFrames;
const auto testFactory = &test::makeTestProcessor;

struct Rendered {
  std::vector<float> left;
  std::vector<float> right;
  int latency = 0;
};

session::LoadedSession load(const test::TempDir& dir, const std::string& text) {
  session::LoadResult result = session::loadDocument(json::parse(text), dir.file("song.json"), {});
  INFO(result.diagnostics.format("song.json").size());
  for (const auto& line : result.diagnostics.format("song.json")) MESSAGE(line);
  REQUIRE(result.loaded.has_value());
  return std::move(*result.loaded);
}

/** Runs the engine over frames engine frames and returns the mix. */
Rendered renderMix(const session::LoadedSession& loaded, int frames, int blockFrames, int threads) {
  graph::Graph graph = graph::buildGraph(loaded.session, loaded.sources, {kRate, blockFrames, testFactory});
  ThreadPool pool(threads);
  graph::Engine engine(graph);
  Rendered rendered;
  rendered.latency = graph.totalLatencyFrames();
  test::runEngine(engine, pool, {blockFrames, frames}, [&](const graph::Block& block) {
    const auto count = static_cast<int>(std::min<std::int64_t>(block.frames, frames - block.startFrame));
    ConstAudioBlock mix = engine.output(graph.masterNode, block);
    rendered.left.insert(rendered.left.end(), mix.channel(0), mix.channel(0) + count);
    rendered.right.insert(rendered.right.end(), mix.channel(1), mix.channel(1) + count);
  });
  return rendered;
}

void writeSine(const test::TempDir& dir, const std::string& name) {
  test::writeSoundFile(dir.file(name), {test::makeSine(1000.0, kRate, 4800, 0.25)}, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
}

}  // namespace

TEST_CASE("graph: a latent insert on one of two equal tracks is compensated, so they double rather than cancel") {
  test::TempDir dir;
  writeSine(dir, "sine.wav");
  const auto loaded = load(dir, R"({"mixdown": 1, "pan_law": "0dB", "tail_s": 0,
    "tracks": [{"name": "a", "source": "sine.wav", "inserts": [{"type": "gain", "name": "latent"}]},
               {"name": "b", "source": "sine.wav"}]})");
  const Rendered mix = renderMix(loaded, 4800 + kLatency, 256, 1);
  REQUIRE(mix.latency == kLatency);
  const std::vector<float> source = test::makeSine(1000.0, kRate, 4800, 0.25);
  for (size_t frame = 0; frame < source.size(); ++frame)
    REQUIRE(mix.left[frame + kLatency] == doctest::Approx(2.0 * source[frame]).epsilon(1e-6));
  CHECK(test::peakOf(mix.left) == doctest::Approx(0.5).epsilon(1e-3));
}

/** Adds a key-nulling insert keyed by track "key" at the end of track 0's chain. */
session::Session withKeyNull(session::Session session) {
  const std::string pointer = "/tracks/0/inserts/" + std::to_string(session.tracks[0].inserts.size());
  session.tracks[0].inserts.push_back(
      session::Insert{pointer, "gain", "null", false, json{{"type", "gain"}, {"sidechain", "key"}}, std::nullopt, {}});
  return session;
}

TEST_CASE("graph: a key path is aligned with the main path, whichever arrives later") {
  test::TempDir dir;
  writeSine(dir, "sine.wav");
  // The key arrives late (its track has latency): the main signal is delayed to meet it.
  const auto keyLate = load(dir, R"({"mixdown": 1, "tail_s": 0,
    "tracks": [{"name": "main", "source": "sine.wav"},
               {"name": "key", "source": "sine.wav", "mute": true, "inserts": [{"type": "gain", "name": "latent"}]}]})");
  // The main signal arrives late (a latent insert before the keyed one): the key is delayed.
  const auto mainLate = load(dir, R"({"mixdown": 1, "tail_s": 0,
    "tracks": [{"name": "main", "source": "sine.wav", "inserts": [{"type": "gain", "name": "latent"}]},
               {"name": "key", "source": "sine.wav", "mute": true}]})");
  for (const auto* loaded : {&keyLate, &mainLate}) {
    const session::Session session = withKeyNull(loaded->session);
    graph::Graph graph = graph::buildGraph(session, loaded->sources, {kRate, 128, testFactory});
    const graph::InsertStage& keyed = graph.nodes[0].inserts.back();
    REQUIRE(keyed.key.has_value());
    CHECK(keyed.key->mainDelayFrames + keyed.key->keyDelayFrames == kLatency);
    CHECK(graph.totalLatencyFrames() == kLatency);
    ThreadPool pool(1);
    graph::Engine engine(graph);
    float peak = 0.0f;
    float keyPeak = 0.0f;
    test::runEngine(engine, pool, {128, 4800}, [&](const graph::Block& block) {
      peak = std::max(peak, engine.output(graph.masterNode, block).array(0).abs().maxCoeff());
      keyPeak = std::max(keyPeak, engine.meters(1, block).postInsertPeak);
    });
    CHECK(keyPeak > 0.2f);  // the key carried the sine
    CHECK(peak == 0.0f);    // and met the main signal sample for sample
  }
}

TEST_CASE("graph: the builder aligns sidechain keys by itself") {
  test::TempDir dir;
  writeSine(dir, "sine.wav");
  const auto loaded = load(dir, R"({"mixdown": 1, "tail_s": 0,
    "tracks": [{"name": "main", "source": "sine.wav"},
               {"name": "key", "source": "sine.wav", "inserts": [{"type": "gain", "name": "latent"}]}]})");
  const session::Session session = withKeyNull(loaded.session);
  graph::Graph graph = graph::buildGraph(session, loaded.sources, {kRate, 128, testFactory});
  REQUIRE(graph.nodes[0].inserts[0].key.has_value());
  CHECK(graph.nodes[0].inserts[0].key->mainDelayFrames == kLatency);
  CHECK(graph.nodes[0].outputLatencyFrames == kLatency);
  // The key track is processed before the track it keys.
  CHECK(graph.order.front() == 1);
}

TEST_CASE("graph: the mix does not depend on the block size or the thread count") {
  test::TempDir dir;
  writeSine(dir, "sine.wav");
  test::writeSoundFile(dir.file("noise.wav"), {test::makeSine(313.0, kRate, 4000, 0.3), test::makeSine(71.0, kRate, 4000, 0.2)},
                       kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  const auto loaded = load(dir, R"({"mixdown": 1, "tail_s": 0,
    "tracks": [{"name": "a", "source": "sine.wav", "pan": -0.3, "output": "grp", "sends": [{"bus": "fx", "pre_fader": true}],
                "inserts": [{"type": "gain", "name": "latent"}]},
               {"name": "b", "source": [{"file": "noise.wav", "at_s": 0.01, "fade_in_s": 0.02}], "sends": [{"bus": "fx", "level_db": -3}]},
               {"name": "c", "source": "sine.wav", "invert_polarity": true, "delay_ms": 1.5, "output": "grp"}],
    "buses": [{"name": "grp", "inserts": [{"type": "stereo", "width": 1.4}]}, {"name": "fx", "gain_db": -6}]})");
  const Rendered reference = renderMix(loaded, 6000, 1024, 1);
  for (auto [block, threads] : {std::pair{1, 1}, std::pair{37, 2}, std::pair{512, 4}}) {
    const Rendered other = renderMix(loaded, 6000, block, threads);
    CHECK(other.left == reference.left);
    CHECK(other.right == reference.right);
  }
}

TEST_CASE("graph: solo keeps the soloed track, what it feeds and what feeds it, and silences the rest") {
  test::TempDir dir;
  writeSine(dir, "sine.wav");
  const auto loaded = load(dir, R"({"mixdown": 1,
    "tracks": [{"name": "vox", "source": "sine.wav", "solo": true, "output": "vocals", "sends": [{"bus": "verb"}]},
               {"name": "gtr", "source": "sine.wav", "sends": [{"bus": "verb"}]},
               {"name": "bgv", "source": "sine.wav", "output": "vocals", "mute": true}],
    "buses": [{"name": "vocals"}, {"name": "verb"}]})");
  const graph::Graph graph = graph::buildGraph(loaded.session, loaded.sources, {kRate, 256, {}});
  CHECK_FALSE(graph.nodes[static_cast<size_t>(graph.nodeIndex("vox"))].silenced);
  CHECK(graph.nodes[static_cast<size_t>(graph.nodeIndex("gtr"))].silenced);
  CHECK(graph.nodes[static_cast<size_t>(graph.nodeIndex("bgv"))].silenced);  // muted
  CHECK_FALSE(graph.nodes[static_cast<size_t>(graph.nodeIndex("vocals"))].silenced);
  CHECK_FALSE(graph.nodes[static_cast<size_t>(graph.nodeIndex("verb"))].silenced);
}

TEST_CASE("graph: the stems of everything feeding master add up to master's input") {
  test::TempDir dir;
  writeSine(dir, "sine.wav");
  const auto loaded = load(dir, R"({"mixdown": 1, "tail_s": 0,
    "tracks": [{"name": "a", "source": "sine.wav", "pan": 0.4, "gain_db": -2, "output": "grp",
                "sends": [{"bus": "fx", "pre_fader": true, "level_db": -4}, {"bus": "fx", "pan": -1}]},
               {"name": "b", "source": "sine.wav", "pan": -0.7, "gain_db": 3},
               {"name": "c", "source": "sine.wav", "mute": true, "sends": [{"bus": "fx"}]}],
    "buses": [{"name": "grp", "gain_db": -1, "pan": 0.2}, {"name": "fx", "inserts": [{"type": "stereo", "width": 0.3}]}]})");
  graph::Graph graph = graph::buildGraph(loaded.session, loaded.sources, {kRate, 512, {}});
  ThreadPool pool(2);
  graph::Engine engine(graph);
  double worst = 0.0;
  const graph::Block last = test::runEngine(engine, pool, {512, 4800}, [&](const graph::Block& block) {
    ConstAudioBlock input = engine.sumInput(graph.masterNode, block);
    for (int channel = 0; channel < 2; ++channel)
      for (int frame = 0; frame < 512; ++frame) {
        double sum = 0.0;
        for (const char* name : {"b", "c", "grp", "fx"})
          sum += engine.output(graph.nodeIndex(name), block).channel(channel)[frame];
        worst = std::max(worst, std::abs(sum - input.channel(channel)[frame]));
      }
  });
  CHECK(worst < 1e-6);
  CHECK(engine.meters(graph.nodeIndex("c"), last).outputPeak == 0.0f);  // muted: silent stem
}

TEST_CASE("graph: the pipelined engine gives every node's output, meters and gain reduction of block-by-block processing") {
  // The demo: tracks, buses fed by sends, a sidechain key, latency, automation and three graph levels.
  test::TempDir dir;
  REQUIRE(test::runProgram(MIXDOWN_DEMO_AUDIO_BINARY, {(dir.path() / "audio").string()}, dir.path()).exitStatus == 0);
  fs::copy_file(fs::path(MIXDOWN_SOURCE_DIR) / "sessions" / "demo.json", dir.file("demo.json"));
  session::LoadResult loaded = session::loadSession(dir.file("demo.json"), {});
  REQUIRE(loaded.loaded.has_value());
  constexpr int kBlock = 512;
  constexpr int kBlocks = 400;  // 4.3 s
  graph::Graph serialGraph = graph::buildGraph(loaded.loaded->session, loaded.loaded->sources, {kRate, kBlock, {}});
  graph::Graph pipelinedGraph = graph::buildGraph(loaded.loaded->session, loaded.loaded->sources, {kRate, kBlock, {}});
  REQUIRE(pipelinedGraph.levels.size() >= 3);
  ThreadPool serialPool(1), pipelinedPool(2);
  graph::Engine serial(serialGraph);
  graph::Engine pipelined(pipelinedGraph);
  REQUIRE(pipelined.maxBlocksAlive() > 1);
  const auto nodes = static_cast<int>(serialGraph.nodes.size());
  // Every node's output, meters and gain reductions of each block, one block through every level at a time.
  struct Figures {
    std::vector<float> output;
    graph::NodeMeters meters;
    std::vector<double> gainReductionsDb;
  };
  const auto figuresOf = [&](const graph::Engine& engine, const graph::Graph& graph, const graph::Block& block) {
    std::vector<Figures> figures;
    for (int node = 0; node < nodes; ++node) {
      const ConstAudioBlock output = engine.output(node, block);
      Figures& kept = figures.emplace_back();
      for (int channel = 0; channel < 2; ++channel) kept.output.insert(kept.output.end(), output.channel(channel), output.channel(channel) + kBlock);
      kept.meters = engine.meters(node, block);
      for (size_t insert = 0; insert < graph.nodes[static_cast<size_t>(node)].inserts.size(); ++insert)
        kept.gainReductionsDb.push_back(engine.maxGainReductionDb(node, static_cast<int>(insert), block));
    }
    return figures;
  };
  std::vector<std::vector<Figures>> expected;
  test::runEngine(serial, serialPool, {kBlock, std::int64_t{kBlocks} * kBlock},
                  [&](const graph::Block& block) { expected.push_back(figuresOf(serial, serialGraph, block)); });
  REQUIRE(expected.size() == kBlocks);
  int completed = 0;
  const graph::Block last = test::runEngine(pipelined, pipelinedPool, {kBlock, std::int64_t{kBlocks} * kBlock, 0}, [&](const graph::Block& block) {
    REQUIRE(block.sequence == completed);
    REQUIRE(block.startFrame == std::int64_t{completed} * kBlock);
    const std::vector<Figures> actual = figuresOf(pipelined, pipelinedGraph, block);
    for (int node = 0; node < nodes; ++node) {
      INFO("block " << completed << ", node " << serialGraph.nodes[static_cast<size_t>(node)].name);
      const Figures& want = expected[static_cast<size_t>(completed)][static_cast<size_t>(node)];
      const Figures& got = actual[static_cast<size_t>(node)];
      REQUIRE(std::memcmp(want.output.data(), got.output.data(), want.output.size() * sizeof(float)) == 0);
      CHECK(want.meters.outputPeak == got.meters.outputPeak);
      CHECK(want.meters.postInsertPeak == got.meters.postInsertPeak);
      CHECK(want.gainReductionsDb == got.gainReductionsDb);
    }
    ++completed;
  });
  CHECK(completed == kBlocks);
  CHECK(last.sequence == kBlocks - 1);
}

TEST_CASE("graph: nodes no output taps are placed by their readers: the same mix bits, and no output of their own") {
  // Untapped tracks and buses with constant gains write no output or sends; the sums place them. Here a
  // latent track (its partner's path is compensated), pre- and post-fader sends with their own pans, a
  // muted track and a stereo bus: the master's bits must be those of an engine that taps every node.
  test::TempDir dir;
  writeSine(dir, "sine.wav");
  test::writeSoundFile(dir.file("stereo.wav"), {test::makeSine(300.0, kRate, 4800, 0.3), test::makeSine(500.0, kRate, 4800, 0.2)},
                       kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  const auto loaded = load(dir, R"({"mixdown": 1, "tail_s": 0, "buses": [{"name": "bus", "gain_db": -2, "pan": 0.2}],
    "tracks": [{"name": "a", "source": "sine.wav", "pan": -0.4, "gain_db": -3, "inserts": [{"type": "gain", "name": "latent"}],
                "sends": [{"bus": "bus", "level_db": -6, "pre_fader": true, "pan": 0.7}]},
               {"name": "b", "source": "stereo.wav", "pan": 0.3, "sends": [{"bus": "bus", "level_db": -9}]},
               {"name": "c", "source": "sine.wav", "mute": true, "sends": [{"bus": "bus"}]}]})");
  graph::Graph graph = graph::buildGraph(loaded.session, loaded.sources, {kRate, 512, testFactory});
  ThreadPool pool(2);
  graph::Engine everyNode(graph);
  graph::Graph masterGraph = graph::buildGraph(loaded.session, loaded.sources, {kRate, 512, testFactory});
  graph::Engine masterOnly(masterGraph, std::vector<int>{masterGraph.masterNode});
  const int frames = 4800 + kLatency;
  // The engine that taps every node, block by block: its mix and its meters of a, b and the bus.
  std::vector<std::vector<float>> mixes;
  std::vector<std::vector<float>> peaks;
  test::runEngine(everyNode, pool, {512, frames}, [&](const graph::Block& block) {
    const ConstAudioBlock mix = everyNode.output(graph.masterNode, block);
    std::vector<float>& kept = mixes.emplace_back(mix.channel(0), mix.channel(0) + 512);
    kept.insert(kept.end(), mix.channel(1), mix.channel(1) + 512);
    std::vector<float>& blockPeaks = peaks.emplace_back();
    for (const char* name : {"a", "b", "bus"}) blockPeaks.push_back(everyNode.meters(graph.nodeIndex(name), block).outputPeak);
  });
  const graph::Block last = test::runEngine(masterOnly, pool, {512, frames}, [&](const graph::Block& block) {
    const ConstAudioBlock mix = masterOnly.output(masterGraph.masterNode, block);
    const std::vector<float>& expected = mixes.at(static_cast<size_t>(block.sequence));
    for (int channel = 0; channel < 2; ++channel)
      REQUIRE(std::memcmp(expected.data() + channel * 512, mix.channel(channel), sizeof(float) * 512) == 0);
    std::vector<float> blockPeaks;
    for (const char* name : {"a", "b", "bus"}) blockPeaks.push_back(masterOnly.meters(masterGraph.nodeIndex(name), block).outputPeak);
    CHECK(blockPeaks == peaks.at(static_cast<size_t>(block.sequence)));
  });
  CHECK(test::peakOf(mixes.back()) > 0.0);
  CHECK_THROWS_AS(masterOnly.output(masterGraph.nodeIndex("a"), last), std::logic_error);
  CHECK_THROWS_AS(masterOnly.output(masterGraph.nodeIndex("bus"), last), std::logic_error);
}
