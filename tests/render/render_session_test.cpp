// The render as a library call: the demo renders byte-identically whatever
// the block size and thread count, and an interrupted render leaves nothing.

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "mixdown/render/render_session.h"
#include "mixdown/session/load.h"
#include "support/cli_runner.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"

using namespace mixdown;
namespace fs = std::filesystem;

namespace {

/** The demo session beside freshly generated demo audio, in dir. */
fs::path stageDemo(const test::TempDir& dir) {
  const test::CommandResult generated =
      test::runProgram(MIXDOWN_DEMO_AUDIO_BINARY, {(dir.path() / "audio").string()}, dir.path());
  REQUIRE(generated.exitStatus == 0);
  fs::copy_file(fs::path(MIXDOWN_SOURCE_DIR) / "sessions" / "demo.json", dir.file("demo.json"));
  return dir.file("demo.json");
}

std::vector<fs::path> filesUnder(const fs::path& root) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), root));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("render: the demo is byte-identical whatever the block size and thread count, reports too") {
  test::TempDir dir;
  const fs::path demo = stageDemo(dir);
  const session::LoadResult loaded = session::loadSession(demo, {});
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
  CHECK(files.size() == 10);  // mix, 8 stems, report
  for (const char* other : {"b", "c"}) {
    REQUIRE(filesUnder(dir.file(other)) == files);
    for (const auto& file : files) {
      INFO(other << "/" << file.string());
      CHECK(test::fileBytes(dir.file("a") / file) == test::fileBytes(dir.file(other) / file));
    }
  }
}

TEST_CASE("render: a render cancelled midway leaves no file and no folder behind") {
  test::TempDir dir;
  const fs::path demo = stageDemo(dir);
  const session::LoadResult loaded = session::loadSession(demo, {});
  REQUIRE(loaded.loaded.has_value());
  std::atomic<bool> cancel{false};
  render::RenderOptions options;
  options.outputDir = dir.file("out");
  options.cancel = &cancel;
  int blocks = 0;
  options.progress = [&](double) {
    if (++blocks == 100) cancel.store(true);
  };
  CHECK_THROWS_WITH_AS(render::renderSession(*loaded.loaded, options), "render interrupted", render::RenderError);
  CHECK(blocks == 100);
  CHECK_FALSE(fs::exists(dir.file("out")));
}

TEST_CASE("render: SIGINT stops the CLI with status 1 and no output") {
  test::TempDir dir;
  const fs::path demo = stageDemo(dir);
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
  CHECK(result.exitStatus == 1);
  CHECK(result.err.find("render interrupted") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.file("out")));
}
