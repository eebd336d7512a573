// The render as a library call: the demo and the filter sweep render byte-identically whatever
// the block size and thread count, and whatever stems are asked for; an interrupted render
// leaves nothing.

#include <doctest/doctest.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "mixdown/io/output_record_name.h"
#include "mixdown/render/render_session.h"
#include "mixdown/session/load.h"
#include "mixdown/util/cancellation.h"
#include "support/cli_runner.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"

using namespace mixdown;
namespace fs = std::filesystem;

namespace {

/** sessions/NAME beside freshly generated demo audio, in dir. */
fs::path stageSession(const test::TempDir& dir, const std::string& name) {
  const test::CommandResult generated =
      test::runProgram(MIXDOWN_DEMO_AUDIO_BINARY, {(dir.path() / "audio").string()}, dir.path());
  REQUIRE(generated.exitStatus == 0);
  fs::copy_file(fs::path(MIXDOWN_SOURCE_DIR) / "sessions" / name, dir.file(name));
  return dir.file(name);
}

std::vector<fs::path> filesUnder(const fs::path& root) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), root));
  std::sort(files.begin(), files.end());
  return files;
}

/** Renders sessions/NAME at three block sizes and thread counts; every output must be byte-identical. */
void checkByteIdenticalRenders(const std::string& name, std::size_t expectedFiles) {
  test::TempDir dir;
  const fs::path file = stageSession(dir, name);
  const session::LoadResult loaded = session::loadSession(file, {});
  REQUIRE(loaded.loaded.has_value());
  struct Setup {
    int blockFrames;
    int threads;
    const char* folder;
  };
  for (const Setup setup : {Setup{1024, 1, "a"}, Setup{333, 2, "b"}, Setup{4096, 4, "c"}}) {
    render::RenderOptions options;
    options.outputDir = dir.file(setup.folder);
    options.blockFrames = setup.blockFrames;
    options.threads = setup.threads;
    render::renderSession(*loaded.loaded, options);
  }
  const auto files = filesUnder(dir.file("a"));
  CHECK(files.size() == expectedFiles);
  for (const char* other : {"b", "c"}) {
    REQUIRE(filesUnder(dir.file(other)) == files);
    for (const auto& output : files) {
      // The hidden record holds each file's inode and mtime: the folder's own, not an output.
      if (output == io::kOutputRecordName) continue;
      INFO(other << "/" << output.string());
      CHECK(test::fileBytes(dir.file("a") / output) == test::fileBytes(dir.file(other) / output));
    }
  }
}

}  // namespace

TEST_CASE("render: the demo is byte-identical whatever the block size and thread count, reports too") {
  checkByteIdenticalRenders("demo.json", 12);  // mix, 8 stems, report, page, the hidden record of them
}

TEST_CASE("render: the filter sweep session's processor automation is byte-identical whatever the block size and thread count") {
  checkByteIdenticalRenders("filter_sweep.json", 5);  // mix, 2 stems, report, the hidden record
}

TEST_CASE("render: the mix and every node's figures are the same bytes with and without stems") {
  // Nodes nobody taps write no output of their own (their sums place them, graph/engine.h); with stems
  // of the tracks, or of the buses, they write it as before. The mix must not tell the two apart.
  for (const char* name : {"demo.json", "kick_bass_sidechain.json", "convolution_hall.json"}) {
    INFO(name);
    test::TempDir dir;
    const fs::path file = stageSession(dir, name);
    nlohmann::json document = nlohmann::json::parse(std::ifstream(file));
    document["outputs"]["report"] = "report.json";
    nlohmann::json mixOnly = document;
    mixOnly["outputs"].erase("stems");
    std::ofstream(dir.file("with-stems.json")) << document.dump();
    std::ofstream(dir.file("mix-only.json")) << mixOnly.dump();
    nlohmann::json nodes[2];
    for (int variant = 0; variant < 2; ++variant) {
      const char* stem = variant == 0 ? "with-stems" : "mix-only";
      const session::LoadResult loaded = session::loadSession(dir.file(std::string(stem) + ".json"), {});
      REQUIRE(loaded.loaded.has_value());
      render::RenderOptions options;
      options.outputDir = dir.file(stem);
      options.threads = 2;
      nodes[variant] = render::renderSession(*loaded.loaded, options).report["nodes"];
    }
    CHECK(filesUnder(dir.file("with-stems")).size() > filesUnder(dir.file("mix-only")).size());  // mix and report alone
    // The mix, the report, the hidden record, and the demo's page.
    CHECK(filesUnder(dir.file("mix-only")).size() == (std::string(name) == "demo.json" ? 4u : 3u));
    CHECK(test::fileBytes(dir.file("with-stems") / "mix.wav") == test::fileBytes(dir.file("mix-only") / "mix.wav"));
    CHECK(nodes[0].dump() == nodes[1].dump());
  }
}

TEST_CASE("render: a render cancelled midway leaves no file and no folder behind") {
  test::TempDir dir;
  const fs::path demo = stageSession(dir, "demo.json");
  const session::LoadResult loaded = session::loadSession(demo, {});
  REQUIRE(loaded.loaded.has_value());
  render::RenderOptions options;
  options.outputDir = dir.file("out");
  int blocks = 0;
  options.progress = [&](const render::RenderProgress&) {
    if (++blocks == 100) requestCancellation(SIGINT);
  };
  CHECK_THROWS_WITH_AS(render::renderSession(*loaded.loaded, options), "interrupted (SIGINT)", Cancelled);
  clearCancellation();
  CHECK(blocks == 100);
  CHECK_FALSE(fs::exists(dir.file("out")));
}

TEST_CASE("render: SIGINT stops the CLI with status 130 and no output") {
  test::TempDir dir;
  const fs::path demo = stageSession(dir, "demo.json");
  // A long song: the demo's lead and keys repeated for 20 minutes.
  nlohmann::json session = nlohmann::json::parse(std::ifstream(demo));
  for (auto& track : session["tracks"]) {
    nlohmann::json clips = nlohmann::json::array();
    const std::string file = track["source"].is_string() ? track["source"].get<std::string>()
                                                         : track["source"][0]["file"].get<std::string>();
    for (int repeat = 0; repeat < 30; ++repeat) clips.push_back({{"file", file}, {"at_s", 40 * repeat}});
    track["source"] = clips;
  }
  std::ofstream(dir.file("long.json")) << session.dump(2);
  const test::CommandResult result = test::runProgram(
      "/usr/bin/timeout", {"--preserve-status", "-s", "INT", "0.5", MIXDOWN_BINARY, "render", "long.json", "-o", "out", "-j", "1"}, dir.path());
  INFO(result.err);
  CHECK(result.exitStatus == 130);
  CHECK(result.err.find("render interrupted (SIGINT)") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.file("out")));
}
