// Each rewrite of the execution plan (graph/lane_grouping.h, graph/placed_sums.h)
// changes the speed, never the output: the demo renders the same bytes (mix,
// stems, report) with every rewrite on, with each one off and with both off.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "mixdown/io/output_record_name.h"
#include "mixdown/graph/build.h"
#include "mixdown/graph/plan.h"
#include "mixdown/render/render_session.h"
#include "mixdown/session/load.h"
#include "support/cli_runner.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"

using namespace mixdown;
namespace fs = std::filesystem;

namespace {

/** Every file under folder, relative, with its bytes. */
std::vector<std::pair<std::string, std::vector<unsigned char>>> filesUnder(const fs::path& folder) {
  std::vector<std::pair<std::string, std::vector<unsigned char>>> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.is_regular_file()) files.emplace_back(fs::relative(entry.path(), folder).generic_string(), test::fileBytes(entry.path()));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("render: the demo renders the same bytes with each plan rewrite switched off") {
  test::TempDir dir;
  REQUIRE(test::runProgram(MIXDOWN_DEMO_AUDIO_BINARY, {(dir.path() / "audio").string()}, dir.path()).exitStatus == 0);
  fs::copy_file(fs::path(MIXDOWN_SOURCE_DIR) / "sessions" / "demo.json", dir.file("demo.json"));
  // 6 s of the demo (its main mix).
  session::LoadResult loaded = session::loadSession(dir.file("demo.json"), {{"tail_s=0", "length_s=6"}});
  for (const auto& line : loaded.diagnostics.format("demo.json")) MESSAGE(line);
  REQUIRE(loaded.loaded.has_value());
  {
    // The rewrites have something to do: tracks share lane batches, and with the mix alone every edge is placed.
    graph::Graph graph = graph::buildGraph(loaded.loaded->session, loaded.loaded->sources, {loaded.loaded->sampleRate, 1024, {}});
    const graph::ExecutionPlan plan = graph::compilePlan(graph, std::vector<int>{graph.masterNode}, {});
    CHECK(plan.laneGroups.size() >= 2);
    CHECK(std::count_if(plan.edges.begin(), plan.edges.end(), [](const graph::PlanEdge& edge) { return edge.placed; }) >= 10);
  }
  for (const bool stems : {true, false}) {
    INFO((stems ? "mix and stems" : "the mix alone"));
    std::vector<std::pair<std::string, std::vector<unsigned char>>> reference;
    for (const graph::PlanOptions options : {graph::PlanOptions{true, true}, graph::PlanOptions{false, true},
                                             graph::PlanOptions{true, false}, graph::PlanOptions{false, false}}) {
      INFO("lane groups " << options.laneGroups << ", placed sums " << options.placedSums);
      render::RenderOptions renderOptions;
      const fs::path folder = dir.file(std::string("out-") + (stems ? "stems-" : "mix-") + std::to_string(options.laneGroups) +
                                       std::to_string(options.placedSums));
      renderOptions.outputDir = folder;
      renderOptions.stems = stems;
      renderOptions.threads = 2;
      renderOptions.planOptions = options;
      render::renderSession(*loaded.loaded, renderOptions);
      const auto files = filesUnder(folder);
      REQUIRE(files.size() >= (stems ? 10u : 3u));
      if (reference.empty()) reference = files;
      for (size_t index = 0; index < files.size(); ++index) {
        INFO(files[index].first);
        // The hidden record holds each file's inode and mtime: the folder's own, not an output.
        if (files[index].first == io::kOutputRecordName) continue;
        CHECK(files[index] == reference[index]);
      }
    }
  }
}
