// End-to-end: a plugin that crashes or hangs (tests/lv2/misbehaving.lv2,
// built with the tests and put on LV2_PATH) ends its render with exit 1 and
// a message naming the insert's pointer and the signal or the timeout, in
// seconds not minutes; the output folder is left exactly as it was (a new
// one not made at all); a batch goes on with its next session.

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/render_support.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 48000;
constexpr const char* kCrash = "http://mixdown.test/lv2/misbehaving#crash";
constexpr const char* kHang = "http://mixdown.test/lv2/misbehaving#hang";
constexpr const char* kLatencyChanges = "http://mixdown.test/lv2/misbehaving#latency";

nlohmann::json sessionWith(const std::vector<std::string>& pluginUris) {
  nlohmann::json tracks = nlohmann::json::array();
  tracks.push_back({{"name", "clean"}, {"source", "audio/noise.wav"}});
  for (std::size_t index = 0; index < pluginUris.size(); ++index)
    tracks.push_back({{"name", "through " + std::to_string(index)},
                      {"source", "audio/noise.wav"},
                      {"inserts", {{{"type", "lv2"}, {"uri", pluginUris[index]}, {"controls", {{"after_frames", 9600}}}}}}});
  return {{"mixdown", 1}, {"tail_s", 0}, {"tracks", tracks}, {"outputs", {{"mix", {{"file", "mix.wav"}}}, {"stems", nlohmann::json::object()}}}};
}

/** mixdown ARGS in folder with the test plugins (and nothing else) on LV2_PATH. */
CommandResult runWithTestPlugins(const RenderFolder& folder, const std::vector<std::string>& arguments, double timeoutS = 120.0) {
  std::vector<std::string> command{std::string("LV2_PATH=") + MIXDOWN_TEST_LV2_DIR, mixdownBinary().string()};
  command.insert(command.end(), arguments.begin(), arguments.end());
  return runProgram("/usr/bin/env", command, folder.path(), timeoutS);
}

void writeNoise(const RenderFolder& folder) { folder.writeSource("noise.wav", noiseChannels(kRate, 1, 0.5, 5), kRate); }

}  // namespace

TEST_CASE("render contained: a plugin that crashes fails its render (exit 1), names the insert, leaves the folder as it was") {
  const RenderFolder folder;
  writeNoise(folder);
  folder.writeSession(sessionWith({}), "good.json");
  folder.writeSession(sessionWith({kCrash}), "crash.json");
  folder.run({"render", "good.json", "-o", "out", "--quiet"});
  const TreeSnapshot before = snapshotTree(folder.file("out"));
  for (const char* jobs : {"1", "2"}) {
    CAPTURE(jobs);
    const CommandResult crashed = runWithTestPlugins(folder, {"render", "crash.json", "-o", "out", "-j", jobs});
    INFO(crashed.err);
    CHECK(crashed.exitStatus == 1);
    CHECK(crashed.err.find("crash.json: the plugin insert /tracks/1/inserts/0 (Crash after frames) crashed the render") !=
          std::string::npos);
    CHECK(crashed.err.find("nothing was written") != std::string::npos);
    CHECK(describeTreeChanges(before, snapshotTree(folder.file("out"))).empty());
  }
  const CommandResult fresh = runWithTestPlugins(folder, {"render", "crash.json", "-o", "new"});
  CHECK(fresh.exitStatus == 1);
  CHECK_FALSE(std::filesystem::exists(folder.file("new")));
}

TEST_CASE("render contained: a plugin that never returns is stopped after --plugin-timeout-s, named, nothing written") {
  const RenderFolder folder;
  writeNoise(folder);
  folder.writeSession(sessionWith({kHang}), "hang.json");
  const auto started = std::chrono::steady_clock::now();
  const CommandResult hung = runWithTestPlugins(folder, {"render", "hang.json", "-o", "out", "--plugin-timeout-s", "1"}, 60.0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  INFO(hung.err);
  CHECK_FALSE(hung.timedOut);
  CHECK(hung.exitStatus == 1);
  CHECK(seconds < 30.0);
  CHECK(hung.err.find("the plugin insert /tracks/1/inserts/0 (Hang after frames) did not return within 1 s") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(folder.file("out")));
}

TEST_CASE("render contained: a batch goes on after a crashed render, and its status says one failed") {
  const RenderFolder folder;
  writeNoise(folder);
  folder.writeSession(sessionWith({kCrash}), "crash.json");
  folder.writeSession(sessionWith({}), "good.json");
  const CommandResult batch = runWithTestPlugins(folder, {"render", "crash.json", "good.json", "--quiet"});
  CHECK(batch.exitStatus == 1);
  const nlohmann::json good = nlohmann::json::parse(readTextFile(folder.file("renders/good/report.json")));
  CHECK(good.at("outputs").size() == 2);  // the mix and the clean track's stem
}

TEST_CASE("render: a plugin whose reported latency changes during the render fails it (exit 1), named, nothing written") {
  RenderFolder folder;
  writeNoise(folder);
  folder.writeSession(sessionWith({kLatencyChanges}), "latency.json");
  const CommandResult changed = runWithTestPlugins(folder, {"render", "latency.json", "-o", "out"});
  INFO(changed.err);
  CHECK(changed.exitStatus == 1);
  CHECK(changed.err.find("/tracks/1/inserts/0: Latency that changes changed its reported latency from 0 to 64 frames during the render") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(folder.file("out")));
}

}  // namespace mixdown::test
