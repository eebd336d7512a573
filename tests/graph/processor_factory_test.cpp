// Every processor type the renderer runs is built from its session JSON with
// the table's defaults, and behaves as the graph expects of it: bypass passes
// the input through exactly (after the processor's latency), the latency is
// compensated, and block splits do not change the output.

#include <doctest/doctest.h>

#include <random>
#include <set>

#include <sndfile.h>

#include "mixdown/graph/build.h"
#include "mixdown/graph/engine.h"
#include "mixdown/graph/processor_factory.h"
#include "mixdown/session/params.h"
#include "mixdown/session/load.h"
#include "support/engine_blocks.h"
#include "support/installed_plugins.h"
#include "support/sample_inserts.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"
#include "support/test_signals.h"

using nlohmann::json;
using namespace mixdown;

namespace {

using test::insertOf;
using test::sampleInserts;

std::vector<float> noise(int frames, unsigned seed) {
  std::mt19937 generator(seed);
  std::vector<float> samples(static_cast<size_t>(frames));
  for (auto& sample : samples) sample = static_cast<float>(generator()) / 4294967296.0f - 0.5f;
  return samples;
}

/** Largest |sample| of channel 0 at the master and at node 0 (the first track) over a whole render. */
struct Channel0Peaks {
  float master = 0.0f;
  float firstTrack = 0.0f;
};

/** Renders graph's first sourceFrames frames plus its latency, in blocks of blockFrames, on threadCount threads. */
Channel0Peaks renderChannel0Peaks(graph::Graph& graph, int sourceFrames, int blockFrames, int threadCount) {
  ThreadPool pool(threadCount);
  graph::Engine engine(graph);
  Channel0Peaks peaks;
  test::runEngine(engine, pool, {blockFrames, sourceFrames + graph.totalLatencyFrames()}, [&](const graph::Block& block) {
    peaks.master = std::max(peaks.master, engine.output(graph.masterNode, block).array(0).abs().maxCoeff());
    peaks.firstTrack = std::max(peaks.firstTrack, engine.output(0, block).array(0).abs().maxCoeff());
  });
  return peaks;
}

/** Runs a fresh processor over a stereo noise signal in blocks of the given sizes (cycled). */
std::vector<float> run(const json& parameters, double rate, const std::vector<int>& blocks, int frames) {
  auto processor = graph::makeProcessor(insertOf(parameters));
  processor->prepare(ProcessSpec{rate, 4096, 2});
  processor->reset();
  AudioBuffer buffer(2, frames);
  AudioBlock all = buffer.block(frames);
  const auto left = noise(frames, 1);
  const auto right = noise(frames, 2);
  std::copy(left.begin(), left.end(), all.channel(0));
  std::copy(right.begin(), right.end(), all.channel(1));
  int position = 0;
  for (size_t index = 0; position < frames; ++index) {
    const int count = std::min(blocks[index % blocks.size()], frames - position);
    processor->process(all.slice(position, count), {}, position);
    position += count;
  }
  std::vector<float> out(all.channel(0), all.channel(0) + frames);
  out.insert(out.end(), all.channel(1), all.channel(1) + frames);
  return out;
}

}  // namespace

TEST_CASE("graph: every processor type is built from its table") {
  std::set<std::string> covered;
  for (const auto& parameters : sampleInserts()) covered.insert(parameters.at("type").get<std::string>());
  for (const auto& [type, spec] : session::processorSpecs()) {
    INFO(type);
    if (type == "lv2" && !test::pluginInstalled(test::kEgAmp, "lv2-examples")) continue;
    CHECK(covered.count(type) == 1);
  }
  for (const auto& parameters : sampleInserts()) CHECK(graph::makeProcessor(insertOf(parameters)) != nullptr);
}

TEST_CASE("graph: every processor gives the same output whatever the block split, at 44.1, 48 and 96 kHz") {
  for (const auto& parameters : sampleInserts()) {
    for (double rate : {44100.0, 48000.0, 96000.0}) {
      INFO(parameters.dump() << " at " << rate);
      const auto whole = run(parameters, rate, {4096}, 12000);
      CHECK(run(parameters, rate, {1, 17, 512, 3, 1000, 64}, 12000) == whole);
    }
  }
}

TEST_CASE("graph: a bypassed processor passes its input exactly, delayed by its latency like the others") {
  test::TempDir dir;
  test::writeSoundFile(dir.file("noise.wav"), {noise(20000, 3)}, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  for (auto parameters : sampleInserts()) {
    INFO(parameters.dump());
    parameters["bypass"] = true;
    // The same source twice, one with the bypassed insert, the other inverted: they must null exactly.
    json session = json::parse(R"({"mixdown": 1, "tail_s": 0, "pan_law": "0dB",
      "tracks": [{"name": "bypassed", "source": "noise.wav"},
                 {"name": "inverted", "source": "noise.wav", "invert_polarity": true}]})");
    session["tracks"][0]["inserts"] = json::array({parameters});
    session["tracks"][1]["inserts"] = json::array({json{{"type", "stereo"}}});  // both stereo after their inserts
    if (parameters["type"] != "stereo") session["tracks"][0]["inserts"].push_back(json{{"type", "stereo"}});
    const auto loaded = session::loadDocument(session, dir.file("song.json"), {});
    REQUIRE(loaded.loaded.has_value());
    graph::Graph graph = graph::buildGraph(loaded.loaded->session, loaded.loaded->sources, {48000, 1000, {}});
    const Channel0Peaks peaks = renderChannel0Peaks(graph, 20000, 1000, 1);
    CHECK(peaks.firstTrack > 0.4f);
    CHECK(peaks.master == 0.0f);
  }
}

TEST_CASE("graph: a key-driven compressor with lookahead, threshold above its signal, nulls against a plain copy") {
  test::TempDir dir;
  const std::vector<float> signal = noise(30000, 4);
  std::vector<float> quiet(signal.size());
  std::transform(signal.begin(), signal.end(), quiet.begin(), [](float sample) { return 0.1f * sample; });  // -26 dBFS peak
  test::writeSoundFile(dir.file("quiet.wav"), {quiet}, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  // The key is taken after the key track's inserts and before its fader: -26 dBFS, under the threshold.
  std::vector<float> key = noise(30000, 5);
  std::transform(key.begin(), key.end(), key.begin(), [](float sample) { return 0.1f * sample; });
  test::writeSoundFile(dir.file("key.wav"), {key}, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  const auto loaded = session::loadDocument(json::parse(R"({"mixdown": 1, "tail_s": 0,
    "tracks": [{"name": "compressed", "source": "quiet.wav", "inserts": [{"type": "compressor", "threshold_db": -6,
                "ratio": 8, "lookahead_ms": 5, "sidechain": {"source": "key", "highpass_hz": 100}}]},
               {"name": "plain", "source": "quiet.wav", "invert_polarity": true},
               {"name": "key", "source": "key.wav", "mute": true}]})"), dir.file("song.json"), {});
  REQUIRE(loaded.loaded.has_value());
  graph::Graph graph = graph::buildGraph(loaded.loaded->session, loaded.loaded->sources, {48000, 512, {}});
  CHECK(graph.totalLatencyFrames() == 240);  // 5 ms at 48 kHz
  const Channel0Peaks peaks = renderChannel0Peaks(graph, 30000, 512, 2);
  const float residual = peaks.master;  // the compressed track against its inverted plain copy
  CHECK(peaks.firstTrack > 0.03f);
  CHECK(20.0 * std::log10(std::max(residual, 1e-30f)) < -120.0);
}
