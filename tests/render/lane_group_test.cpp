// Lane groups (graph/lane_grouping.h) change the speed, never the sound: every track
// of a session whose tracks share lane batches renders the same stem, bit for
// bit, and the same gain-reduction figures, as the track rendered alone.

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <random>

#include <nlohmann/json.hpp>
#include <sndfile.h>

#include "mixdown/graph/build.h"
#include "mixdown/graph/engine.h"
#include "mixdown/render/render_session.h"
#include "mixdown/session/load.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"

using namespace mixdown;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int kRate = 48000;
constexpr int kFrames = 3 * kRate;

/** A burst of noise and a decaying sine, with silences at a place of its own per seed; stereo channels differ. */
test::PlanarSamples partSignal(unsigned seed, int channels) {
  std::mt19937 random(seed);
  std::normal_distribution<float> noise(0.0f, 0.2f);
  test::PlanarSamples samples(static_cast<size_t>(channels), std::vector<float>(kFrames));
  for (int channel = 0; channel < channels; ++channel)
    for (int frame = 0; frame < kFrames; ++frame) {
      const int beat = (frame + static_cast<int>(seed) * 3001) % 24000;
      const double decay = std::exp(-beat / 2400.0);
      const bool silent = beat > 16000;
      const double tone = 0.7 * decay * std::sin(2.0 * M_PI * (60.0 + 40.0 * seed + channel) * frame / kRate);
      samples[static_cast<size_t>(channel)][static_cast<size_t>(frame)] =
          silent ? 0.0f : static_cast<float>(tone) + noise(random) * static_cast<float>(decay);
    }
  return samples;
}

/** "t" and the index: a track's name and, with ".wav", its file (built with append: GCC 12 warns falsely of
    overlapping memcpy on "t" + std::to_string()). */
std::string partName(int index) { return std::string("t").append(std::to_string(index)); }

json trackJson(int index, bool stereo) {
  json eq{{"type", "eq"},
          {"bands", json::array({json{{"type", "highpass"}, {"freq_hz", 60 + 10 * index}, {"slope_db_oct", index % 2 ? 24 : 12}},
                                 json{{"type", "peak"}, {"freq_hz", 300 + 50 * index}, {"gain_db", -3}, {"q", 1.0}},
                                 json{{"type", "high_shelf"}, {"freq_hz", 7000}, {"gain_db", 0.5 * index}, {"q", 0.7}}})}};
  json compressor{{"type", "compressor"}, {"threshold_db", -30 + 2 * (index % 9)}, {"ratio", 2 + index % 3},
                  {"attack_ms", 5 + index}, {"release_ms", 80 + 10 * index}, {"knee_db", index % 2 ? 6 : 0},
                  {"makeup_db", 1.5}, {"detector", index % 3 == 0 ? "rms" : "peak"}};
  json track{{"name", partName(index)},
             {"source", partName(index).append(".wav")},
             {"gain_db", -6},
             {"pan", stereo ? 0.0 : -0.5 + 0.1 * index},
             {"inserts", json::array({eq, compressor})}};
  if (index == 4) track["inserts"][0]["bands"][1]["gain_db"] = json{{"points", json::array({json::array({0.0, -6.0}), json::array({2.0, 3.0})})}};
  return track;
}

json sessionJson(const std::vector<json>& tracks) {
  return json{{"mixdown", 1},
              {"sample_rate", kRate},
              {"tail_s", 0},
              {"tracks", tracks},
              {"outputs", {{"mix", {{"file", "mix.wav"}}}, {"stems", {{"of", "tracks"}}}}}};
}

json renderReport(const test::TempDir& dir, const json& document, const std::string& folder) {
  session::LoadResult loaded = session::loadDocument(document, dir.file(folder + ".json"), {});
  for (const auto& line : loaded.diagnostics.format(folder + ".json")) MESSAGE(line);
  REQUIRE(loaded.loaded.has_value());
  render::RenderOptions options;
  options.outputDir = dir.file(folder);
  options.threads = 2;
  return render::renderSession(*loaded.loaded, options).report;
}

json nodeNamed(const json& report, const std::string& name) {
  for (const json& node : report["nodes"])
    if (node["name"] == name) return node;
  FAIL("no node " << name);
  return {};
}

}  // namespace

TEST_CASE("render: tracks in lane groups render the same stems and gain reduction as each track alone") {
  test::TempDir dir;
  // Mono and stereo parts, so groups mix both (a stereo track takes two EQ lanes); track 4's EQ is automated.
  const std::vector<bool> stereo{false, true, false, false, false, true, false, false, true, true, false, false, true, false};
  std::vector<json> tracks;
  for (int index = 0; index < static_cast<int>(stereo.size()); ++index) {
    test::writeSoundFile(dir.file(partName(index).append(".wav")), partSignal(static_cast<unsigned>(index + 1), stereo[static_cast<size_t>(index)] ? 2 : 1),
                         kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    tracks.push_back(trackJson(index, stereo[static_cast<size_t>(index)]));
  }
  const json together = renderReport(dir, sessionJson(tracks), "together");
  {
    // The groups: by the batchable start of the chain (EQ of 3 or 4 sections: odd tracks have 4; RMS
    // compressor: every third track), at most 4 tracks each, mono before stereo. Track 4 (automated EQ)
    // has none. Of the five odd peak tracks, 7, 11, 13 and 1 fill a group, whose EQ filters 5 channels in
    // two vector passes (track 1's right channel in the second), and 5 is left alone.
    session::LoadResult loaded = session::loadDocument(sessionJson(tracks), dir.file("together.json"), {});
    REQUIRE(loaded.loaded.has_value());
    graph::Graph graph = graph::buildGraph(loaded.loaded->session, loaded.loaded->sources, {kRate, 1024, {}});
    const graph::Engine engine(graph);
    std::vector<std::vector<int>> members;
    for (const graph::LaneGroupStep& group : engine.plan().laneGroups) members.push_back(group.members);
    const std::vector<std::vector<int>> expected{{0, 6, 12}, {7, 11, 13, 1}, {2, 10, 8}, {3, 9}};
    CHECK(members == expected);
  }
  for (size_t index = 0; index < tracks.size(); ++index) {
    const std::string name = tracks[index]["name"];
    INFO("track " << name);
    const json alone = renderReport(dir, sessionJson({tracks[index]}), "alone-" + name);
    const fs::path stem = fs::path("stems") / (name + ".wav");
    CHECK(test::fileBytes(dir.file("together") / stem) == test::fileBytes(dir.file("alone-" + name) / stem));
    const json groupedNode = nodeNamed(together, name);
    const json aloneNode = nodeNamed(alone, name);
    CHECK(groupedNode["max_gain_reduction_db"] == aloneNode["max_gain_reduction_db"]);
    CHECK(groupedNode["max_gain_reduction_db"].get<double>() > 1.0);  // the compressors work
    CHECK(groupedNode["output_peak_dbfs"] == aloneNode["output_peak_dbfs"]);
  }
}
