// End-to-end: a render's progress where stderr is not a terminal (a CI log): plain
// lines, bounded in number, one at each phase, never a carriage return; JSON
// lines with --progress=json; nothing unless asked.

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <string>

#include "cli/render_support.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 48000;
constexpr int kSeconds = 20;

/** 20 s of noise, tail 0, normalised by master.loudness: two phases, render then normalize. */
void writeNormalisedSession(const RenderFolder& folder) {
  folder.writeSource("noise.wav", noiseChannels(kSeconds * kRate, 2, 0.1, 3), kRate);
  folder.writeSession({{"mixdown", 1},
                       {"tail_s", 0},
                       {"tracks", {{{"name", "noise"}, {"source", "audio/noise.wav"}}}},
                       {"master", {{"loudness", {{"target_lufs", -20}}}}},
                       {"outputs", {{"mix", {{"file", "mix.wav"}}}}}});
}

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::size_t linesWith(const std::vector<std::string>& lines, const std::string& part) {
  std::size_t count = 0;
  for (const auto& line : lines) count += line.find(part) != std::string::npos ? 1 : 0;
  return count;
}

}  // namespace

TEST_CASE("progress: into a log, plain lines at each phase and at most every 5 s, never a carriage return") {
  RenderFolder folder;
  writeNormalisedSession(folder);
  const auto started = std::chrono::steady_clock::now();
  const CommandResult result = runMixdown({"render", "session.json", "-o", "out", "--progress", "-j", "1"}, folder.path());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  REQUIRE(result.exitStatus == 0);
  CHECK(result.err.find('\r') == std::string::npos);
  const std::vector<std::string> lines = linesOf(result.err);
  CHECK(linesWith(lines, "session.json: render ") >= 1);
  CHECK(linesWith(lines, "session.json: normalize ") >= 1);  // the normalisation pass is its own phase, not "100%"
  CHECK(linesWith(lines, "session.json: done in ") == 1);
  // One line as each phase starts, then one each 5 s at most, and the last (warnings aside).
  const std::size_t progressLines = linesWith(lines, "session.json: render ") + linesWith(lines, "session.json: normalize ") +
                                    linesWith(lines, "session.json: done in ");
  CHECK(progressLines <= 3 + static_cast<std::size_t>(seconds / 5.0) + 1);
}

TEST_CASE("progress: --progress=json gives a JSON line per phase with the frames done and to do") {
  RenderFolder folder;
  writeNormalisedSession(folder);
  const CommandResult result = runMixdown({"render", "session.json", "-o", "out", "--progress=json", "-q"}, folder.path());
  REQUIRE(result.exitStatus == 0);
  std::vector<std::string> phases;
  std::int64_t renderTotal = 0;
  for (const std::string& line : linesOf(result.err)) {
    if (line.rfind("{\"progress\"", 0) != 0) continue;
    const nlohmann::json progress = nlohmann::json::parse(line).at("progress");
    CHECK(progress.at("render") == "session.json");
    const std::string phase = progress.at("phase").get<std::string>();
    if (phases.empty() || phases.back() != phase) phases.push_back(phase);
    if (phase == "render") renderTotal = progress.at("frames_total").get<std::int64_t>();
    if (phase != "done") CHECK(progress.at("frames_done").get<std::int64_t>() <= progress.at("frames_total").get<std::int64_t>());
  }
  CHECK(phases == std::vector<std::string>{"render", "normalize", "done"});
  CHECK(renderTotal == static_cast<std::int64_t>(kSeconds) * kRate);  // the content's 20 s, tail 0
}

TEST_CASE("progress: none into a log unless asked") {
  RenderFolder folder;
  writeNormalisedSession(folder);
  const CommandResult result = runMixdown({"render", "session.json", "-o", "out"}, folder.path());
  REQUIRE(result.exitStatus == 0);
  CHECK(result.err.find("render ") == std::string::npos);
  CHECK(result.err.find("done in") == std::string::npos);
}

}  // namespace mixdown::test
