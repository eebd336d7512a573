// Stems are aligned to session time 0 whatever latency the master adds: a track's stem is the same
// file with and without a latent insert on the master, even when that latency spans several render
// blocks (the first blocks of such a render only fill the latency, and the stems' alignment delays
// must still take them in), at every block size.

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>
#include <sndfile.h>

#include "mixdown/render/render_session.h"
#include "mixdown/session/load.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"

using namespace mixdown;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int kRate = 48000;

json sessionWithMaster(const json& masterInserts) {
  json track{{"name", "tone"}, {"source", "tone.wav"}, {"gain_db", -3}, {"pan", -0.3}};
  json bus{{"name", "pad"}, {"source", "pad.wav"}, {"gain_db", -6}};
  return json{{"mixdown", 1},
              {"sample_rate", kRate},
              {"tail_s", 0},
              {"tracks", json::array({track, bus})},
              {"master", {{"inserts", masterInserts}}},
              {"outputs", {{"mix", {{"file", "mix.wav"}}}, {"stems", {{"of", "tracks"}}}}}};
}

void renderTo(const test::TempDir& dir, const json& document, const std::string& folder, int blockFrames) {
  session::LoadResult loaded = session::loadDocument(document, dir.file(folder + ".json"), {});
  for (const auto& line : loaded.diagnostics.format(folder + ".json")) MESSAGE(line);
  REQUIRE(loaded.loaded.has_value());
  render::RenderOptions options;
  options.outputDir = dir.file(folder);
  options.blockFrames = blockFrames;
  options.threads = 2;
  render::renderSession(*loaded.loaded, options);
}

}  // namespace

TEST_CASE("render: stems are the same with and without a master latency of several blocks, at every block size") {
  test::TempDir dir;
  test::PlanarSamples tone(1, std::vector<float>(kRate)), pad(2, std::vector<float>(kRate));
  for (int frame = 0; frame < kRate; ++frame) {
    tone[0][static_cast<size_t>(frame)] = static_cast<float>(0.5 * std::sin(2.0 * M_PI * 441.0 * frame / kRate));
    for (int channel = 0; channel < 2; ++channel)
      pad[static_cast<size_t>(channel)][static_cast<size_t>(frame)] =
          static_cast<float>(0.3 * std::sin(2.0 * M_PI * (220.0 + 3.0 * channel) * frame / kRate));
  }
  test::writeSoundFile(dir.file("tone.wav"), tone, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  test::writeSoundFile(dir.file("pad.wav"), pad, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  // 100 ms of lookahead: 4800 frames of latency, more than four 1024-frame blocks.
  const json latent = json::array({json{{"type", "compressor"}, {"threshold_db", -20}, {"lookahead_ms", 100}}});
  renderTo(dir, sessionWithMaster(json::array()), "plain", 1024);
  for (const int blockFrames : {1024, 333, 4096}) {
    const std::string folder = "latent-" + std::to_string(blockFrames);
    INFO("block " << blockFrames);
    renderTo(dir, sessionWithMaster(latent), folder, blockFrames);
    for (const char* stem : {"stems/tone.wav", "stems/pad.wav"})
      CHECK(test::fileBytes(dir.file("plain") / stem) == test::fileBytes(dir.file(folder) / stem));
  }
}

TEST_CASE("render: a session whose length rounds to no frame writes empty files and ends") {
  test::TempDir dir;
  test::writeSoundFile(dir.file("tone.wav"), {std::vector<float>(4800, 0.25f)}, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  json document = sessionWithMaster(json::array());  // no latency: no block is needed at all
  document["tracks"] = json::array({json{{"name", "tone"}, {"source", "tone.wav"}}});
  document.erase("tail_s");
  document["length_s"] = 1e-5;  // 0.48 frames: none
  renderTo(dir, document, "empty", 1024);
  for (const char* file : {"mix.wav", "stems/tone.wav"}) CHECK(test::readSoundFile(dir.file("empty") / file).frames == 0);
}
