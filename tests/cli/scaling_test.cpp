// Hostile input costs time and memory in proportion to its size: the real
// binary validates sessions of 1 000, 10 000 and 100 000 buses (a chain, and
// all into one bus), tracks and variant path segments, and --set paths of 600,
// 6000 and 60 000 segments (an argument may hold 128 KiB at most),
// and each size ten times larger may take at most kMaxGrowth times as long
// (quadratic work would take 100 times) and as much memory. A render through
// a chain of 4000 buses stays within kMaxChainRenderKib of memory (measured
// as the child's ru_maxrss, which also counts the test process's own peak). The figures
// are printed (doctest MESSAGE) for the record.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/large_sessions.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kTimeoutS = 60.0;
/** Ten times the input may cost at most this many times the time and memory of the smaller one. */
constexpr double kMaxGrowth = 30.0;
/** Below these a measurement is the process's start-up, not the work: the smaller one counts as at least this. */
constexpr double kTimeFloorS = 0.05;
constexpr double kMemoryFloorKib = 32.0 * 1024.0;
const std::vector<std::size_t> kSizes{1000, 10000, 100000};
/** A --set path of 100 000 segments would exceed the 128 KiB an argument of a command may have. */
const std::vector<std::size_t> kArgumentSizes{600, 6000, 60000};

/** A small session whose variant sets a path of that many segments. */
json variantPathSession(std::size_t segments) {
  json session = sessionWithTracks(1);
  session["variants"] = {{"v", {{"set", {{pathOfSegments(segments), 1}}}}}};
  return session;
}

struct Cost {
  double seconds = 0.0;
  long peakResidentKib = 0;
};

/** Runs mixdown with arguments in folder; it must end by itself, with exit 0 or 1 (valid, or refused). */
Cost measure(const TempDir& folder, const std::vector<std::string>& arguments) {
  const auto start = std::chrono::steady_clock::now();
  const CommandResult result = runProgram(mixdownBinary(), arguments, folder.path(), kTimeoutS);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK_MESSAGE((result.exitStatus == 0 || result.exitStatus == 1), result.status() << "\n" << result.err.substr(0, 2000));
  return {seconds, result.peakResidentKib};
}

/** Checks that each size's cost grows at most kMaxGrowth times the one before, and prints them. */
void checkGrowth(const std::string& what, const std::vector<std::size_t>& sizes, const std::vector<Cost>& costs) {
  for (std::size_t index = 0; index < costs.size(); ++index) {
    MESSAGE(what << ", " << sizes[index] << ": " << costs[index].seconds << " s, peak "
                 << costs[index].peakResidentKib / 1024 << " MiB");
    if (index == 0) continue;
    const Cost& smaller = costs[index - 1];
    CHECK(costs[index].seconds <= kMaxGrowth * std::max(smaller.seconds, kTimeFloorS));
    CHECK(static_cast<double>(costs[index].peakResidentKib) <=
          kMaxGrowth * std::max(static_cast<double>(smaller.peakResidentKib), kMemoryFloorKib));
  }
}

/** validate's cost on session(size) for each of sizes, with the arguments after the file name. */
void checkValidateScales(const std::string& what, const std::vector<std::size_t>& sizes, json (*session)(std::size_t),
                         std::vector<std::string> (*extraArguments)(std::size_t)) {
  TempDir folder;
  writeTone(folder.path());
  std::vector<Cost> costs;
  for (const std::size_t size : sizes) {
    const std::string name = numbered("s", size) + ".json";
    writeJsonFile(folder.file(name), session(size));
    std::vector<std::string> arguments{"validate", name};
    for (auto& argument : extraArguments(size)) arguments.push_back(std::move(argument));
    costs.push_back(measure(folder, arguments));
  }
  checkGrowth(what, sizes, costs);
}

std::vector<std::string> noArguments(std::size_t) { return {}; }
std::vector<std::string> setPathOfSegments(std::size_t segments) { return {"--set", pathOfSegments(segments) + "=1"}; }
json oneTrackSession(std::size_t) { return sessionWithTracks(1); }

}  // namespace

TEST_CASE("cli: validate costs time and memory in proportion to the buses, tracks and path segments") {
  checkValidateScales("chained buses", kSizes, chainOfBuses, noArguments);
  checkValidateScales("buses into one", kSizes, busesIntoOne, noArguments);
  checkValidateScales("tracks", kSizes, sessionWithTracks, noArguments);
  checkValidateScales("--set path segments", kArgumentSizes, oneTrackSession, setPathOfSegments);
  checkValidateScales("variant path segments", kSizes, variantPathSession, noArguments);
}

TEST_CASE("cli: a render through 4000 chained buses stays within a bounded memory") {
  // A bus of the chain keeps two blocks of its signal, stereo float (32 KiB per block of 4096 frames,
  // the render's): 250 MiB in all, and the rest of the process some 30 MiB. Anything kept per bus and
  // per level of the graph (16 million bus-levels here) passes the bound.
  constexpr long kMaxChainRenderKib = 320 * 1024;
  TempDir folder;
  writeTone(folder.path());
  json session = chainOfBuses(4000);
  session["length_s"] = 0.2;
  writeJsonFile(folder.file("chain.json"), session);
  const auto start = std::chrono::steady_clock::now();
  const CommandResult result = runProgram(mixdownBinary(), {"render", "chain.json", "-o", "out"}, folder.path(), kTimeoutS);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("render through 4000 chained buses: " << seconds << " s, peak " << result.peakResidentKib / 1024 << " MiB");
  REQUIRE_MESSAGE(result.exitStatus == 0, result.status() << "\n" << result.err.substr(0, 2000));
  CHECK(fs::exists(folder.file("out/mix.wav")));
#if defined(__SANITIZE_ADDRESS__)
  CHECK(result.peakResidentKib <= 2 * kMaxChainRenderKib);  // shadow memory and quarantine (421 MiB seen)
#else
  CHECK(result.peakResidentKib <= kMaxChainRenderKib);
#endif
}

}  // namespace mixdown::test
