// `mixdown graph --plan`: the execution plan after the rewrites, as
// deterministic text, and each rewrite switched off by its hidden flag.

#include <doctest/doctest.h>

#include <sndfile.h>

#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"
#include "support/test_signals.h"

namespace mixdown::test {

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/** Two EQ'd mono tracks, one with a send to a bus; the stems of the tracks. */
void writePlanSession(const TempDir& dir) {
  writeSoundFile(dir.file("sine.wav"), {makeSine(1000.0, 48000, 480, 0.25)}, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  const nlohmann::json eq{{"type", "eq"}, {"bands", {{{"type", "peak"}, {"freq_hz", 500}, {"gain_db", 3}, {"q", 1}}}}};
  writeJsonFile(dir.file("song.json"),
                {{"mixdown", 1},
                 {"tracks", {{{"name", "a"}, {"source", "sine.wav"}, {"inserts", {eq}}, {"sends", {{{"bus", "fx"}}}}},
                             {{"name", "b"}, {"source", "sine.wav"}, {"inserts", {eq}}}}},
                 {"buses", {{{"name", "fx"}}}},
                 {"outputs", {{"stems", {{"of", "tracks"}}}}}});
}

}  // namespace

TEST_CASE("cli: graph --plan prints the plan after the rewrites, the same each time, each rewrite can be switched off") {
  TempDir dir;
  writePlanSession(dir);
  const CommandResult plan = runMixdown({"graph", "song.json", "--plan"}, dir.path());
  REQUIRE(plan.exitStatus == 0);
  CHECK(plan.out == runMixdown({"graph", "song.json", "--plan"}, dir.path()).out);
  CHECK(contains(plan.out, "plan: 3 levels, at most 4 blocks alive; lane groups on, placed sums on\n"));
  CHECK(contains(plan.out, "level 1:\n  lane group 1 (insert 1 batched): \"a\", \"b\"\nlevel 2:\n  strip \"fx\"\n"));
  // The tracks are stems (tapped): the render reads them after the last level (4 slots), and their edges
  // read their buffers. Nobody taps the bus: the master (the next level) places it.
  CHECK(contains(plan.out, "track \"a\": ring of 4 slots: main once, post-fader, send 1; meters kept 4 blocks; tapped (stem); "
                           "insert 1 in lane group 1\n"));
  CHECK(contains(plan.out, "\"fx\" post-fader -> \"master\", gain 1 left, 1 right, placed\n"));
  CHECK(contains(plan.out, "bus \"fx\": ring of 2 slots: main per slot; meters kept 3 blocks\n"));

  const CommandResult simple = runMixdown({"graph", "song.json", "--plan", "--no-lane-groups", "--no-placed-sums"}, dir.path());
  REQUIRE(simple.exitStatus == 0);
  CHECK(contains(simple.out, "lane groups off, placed sums off"));
  CHECK(contains(simple.out, "level 1:\n  strip \"a\"\n  strip \"b\"\n"));
  CHECK(contains(simple.out, "\"fx\" post-fader -> \"master\", gain 1 left, 1 right, read from its buffer\n"));
  CHECK_FALSE(contains(simple.out, ", placed\n"));
  CHECK(contains(simple.out, "bus \"fx\": ring of 2 slots: main once, post-fader; meters kept 3 blocks\n"));

  const CommandResult both = runMixdown({"graph", "song.json", "--plan", "--format", "dot"}, dir.path());
  CHECK(both.exitStatus == 2);
}

}  // namespace mixdown::test
