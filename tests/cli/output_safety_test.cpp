// Renders that share a folder, planted links, targets that cannot take a file,
// worker threads the system refuses and standard output that cannot be
// written: each ends with the outputs of exactly one whole render (or none),
// inputs untouched, nothing temporary left, and the status CLI.md gives.

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/refusal_check.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;

constexpr int kRateHz = 48000;

/** audio/tone.wav (0.25 s) and sessions s0..s{count-1}.json playing it at different gains, mix and stems. */
void writeGainSessions(const TempDir& folder, int count) {
  writeWav(folder.file("audio/tone.wav"), sineChannels(330.0, kRateHz, kRateHz / 4, 1, 0.25), kRateHz, SampleFormat::Pcm16);
  for (int index = 0; index < count; ++index) {
    std::string name = std::to_string(index);  // "s" + ... : GCC 12 warns falsely of overlapping memcpy
    name.insert(0, 1, 's');
    writeJsonFile(folder.file(name + ".json"),
                  {{"mixdown", 1},
                   {"tracks", {{{"name", "tone"}, {"source", "audio/tone.wav"}, {"gain_db", -3.0 * index}}}},
                   {"outputs", {{"stems", {{"of", "tracks"}}}}}});
  }
}

/** Names in folder (recursively) that are not final outputs: temporaries and the lock. */
std::vector<std::string> leftovers(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.find("mixdown-tmp") != std::string::npos || name == ".mixdown.lock") names.push_back(name);
  }
  return names;
}

/** Whether every WAV output report.json lists in folder has the SHA-256 (of its data chunk) the report gives. */
bool reportMatchesFiles(const fs::path& folder, std::string& why) {
  const nlohmann::json report = nlohmann::json::parse(std::ifstream(folder / "report.json"));
  for (const auto& output : report.at("outputs")) {
    const fs::path file = folder / output.at("file").get<std::string>();
    const std::string actual = sha256Hex(wavDataChunk(file));
    if (actual != output.at("audio_sha256").get<std::string>()) {
      why = file.string() + " holds " + actual + ", the report says " + output.at("audio_sha256").get<std::string>();
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("output safety: 8 renders of 4 sessions into one folder at once leave one whole render, 20 rounds") {
  TempDir folder;
  writeGainSessions(folder, 4);
  // Eight renders started together, two of each session; the shell waits for all and fails if any failed.
  const std::string script = R"sh(
status=0
pids=""
for index in 0 1 2 3 0 1 2 3; do
  "$0" render "s$index.json" -o out -j 1 --no-progress -q & pids="$pids $!"
done
for pid in $pids; do wait "$pid" || status=1; done
exit $status
)sh";
  for (int round = 0; round < 20; ++round) {
    INFO("round " << round);
    const CommandResult result = runProgram("/bin/sh", {"-c", script, mixdownBinary().string()}, folder.path(), 120.0);
    REQUIRE_MESSAGE(result.exitStatus == 0, result.err);
    std::string why;
    CHECK_MESSAGE(reportMatchesFiles(folder.file("out"), why), why);
    CHECK(leftovers(folder.file("out")).empty());
  }
}

TEST_CASE("output safety: links planted at temporary-looking names are never followed") {
  TempDir folder;
  writeGainSessions(folder, 1);
  fs::create_directories(folder.file("out/stems"));
  // The names earlier versions used for their temporaries, each a link to the session's input.
  for (const std::string name : {"out/.mix.wav.mixdown-partial", "out/.report.json.mixdown-partial",
                                 "out/.mix.wav.mixdown-master", "out/stems/.tone.wav.mixdown-partial"})
    fs::create_symlink(fs::absolute(folder.file("audio/tone.wav")), folder.file(name));
  const std::vector<unsigned char> input = fileBytes(folder.file("audio/tone.wav"));
  const CommandResult result = runMixdown({"render", "s0.json", "-o", "out", "-q"}, folder.path());
  CHECK_MESSAGE(result.exitStatus == 0, result.err);
  CHECK(fileBytes(folder.file("audio/tone.wav")) == input);
  CHECK(fs::is_symlink(folder.file("out/.mix.wav.mixdown-partial")));
  std::string why;
  CHECK_MESSAGE(reportMatchesFiles(folder.file("out"), why), why);
}

TEST_CASE("output safety: a link planted at the folder's lock is refused, not followed") {
  TempDir folder;
  writeGainSessions(folder, 1);
  fs::create_directories(folder.file("out"));
  fs::create_symlink(fs::absolute(folder.file("audio/tone.wav")), folder.file("out/.mixdown.lock"));
  checkMixdownRefuses({"render", "s0.json", "-o", "out"}, folder.path(), 1,
                      {"s0.json: cannot lock the output folder \"out\": too many levels of symbolic links"});
}

TEST_CASE("output safety: a target that is a folder fails the render before it starts, the previous render stays") {
  struct Case {
    std::string name;
    std::string outputs;  // the session's "outputs"
    std::string folder;   // made where a file should go
    std::string message;
  };
  const std::vector<Case> cases{
      {"report a folder", R"({"stems": {"of": "tracks"}})", "out/report.json",
       R"(/outputs/report: cannot write "out/report.json": it is a folder)"},
      {"stem a folder", R"({"stems": {"of": "tracks"}})", "out/stems/tone.wav",
       R"(/outputs/stems/file: cannot write "out/stems/tone.wav": it is a folder)"},
  };
  for (const Case& testCase : cases) {
    INFO(testCase.name);
    TempDir folder;
    writeGainSessions(folder, 1);
    fs::remove(folder.file("s0.json"));
    writeTextFile(folder.file("s0.json"),
                  R"({"mixdown": 1, "tracks": [{"name": "tone", "source": "audio/tone.wav"}], "outputs": )" +
                      testCase.outputs + "}");
    // A previous render, then a folder planted where this render must write a file.
    REQUIRE(runMixdown({"render", "s0.json", "-o", "out", "-q", "--mix-only"}, folder.path()).exitStatus == 0);
    fs::remove(folder.file(testCase.folder));
    fs::create_directories(folder.file(testCase.folder));
    checkMixdownRefuses({"render", "s0.json", "-o", "out"}, folder.path(), 1, {"s0.json: " + testCase.message});
  }
  TempDir folder;
  writeGainSessions(folder, 1);
  writeTextFile(folder.file("dot.json"),
                R"({"mixdown": 1, "tracks": [{"name": "tone", "source": "audio/tone.wav"}], "outputs": {"report": "."}})");
  checkMixdownRefuses({"render", "dot.json", "-o", "out"}, folder.path(), 1, {"dot.json: /outputs/report: "});
}

#if !defined(__SANITIZE_ADDRESS__)  // ASan reserves terabytes of address space: no ulimit -v under it
TEST_CASE("output safety: worker threads the system refuses leave a render on fewer threads, with the same bits") {
  TempDir folder;
  writeGainSessions(folder, 1);
  REQUIRE(runMixdown({"render", "s0.json", "-o", "one", "-q", "-j", "1"}, folder.path()).exitStatus == 0);
  // 600 MB of address space: room for the render, not for 255 worker stacks of 8 MiB.
  const CommandResult result =
      runProgram("/bin/sh", {"-c", R"(ulimit -v 600000; exec "$0" render s0.json -o many -q -j 256)", mixdownBinary().string()},
                 folder.path(), 60.0);
  CHECK_MESSAGE(result.exitStatus == 0, result.err);
  CHECK(result.err.find("the system started only ") != std::string::npos);
  CHECK(result.err.find(" of 256 threads") != std::string::npos);
  CHECK(fileBytes(folder.file("many/mix.wav")) == fileBytes(folder.file("one/mix.wav")));
}
#endif

TEST_CASE("output safety: a process limit smaller than the threads asked for leaves a render on fewer threads") {
  TempDir folder;
  writeGainSessions(folder, 1);
  REQUIRE(runMixdown({"render", "s0.json", "-o", "one", "-q", "-j", "1"}, folder.path()).exitStatus == 0);
  // ulimit -u counts the user's processes and threads; root is exempt, so run as nobody there.
  std::string command = R"(ulimit -u 8; exec "$0" render s0.json -o many -q -j 16)";
  std::vector<std::string> arguments{"-c", command, mixdownBinary().string()};
  fs::path program = "/bin/bash";
  if (runningAsRoot()) {
    fs::permissions(folder.path(), fs::perms::all);
    arguments.insert(arguments.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups", "/bin/bash"});
    program = "/usr/bin/setpriv";
  }
  const CommandResult result = runProgram(program, arguments, folder.path(), 60.0);
  CHECK_MESSAGE(result.exitStatus == 0, result.err);
  CHECK(result.err.find(" of 16 threads (a process or memory limit)") != std::string::npos);
  CHECK(fileBytes(folder.file("many/mix.wav")) == fileBytes(folder.file("one/mix.wav")));
}

TEST_CASE("output safety: output that cannot reach standard output fails the command") {
  TempDir folder;
  writeGainSessions(folder, 1);
  for (const std::string command : {"schema", "graph s0.json", "analyze --json audio/tone.wav", "--help", "--version",
                                    "render --help"}) {
    INFO(command);
    const CommandResult result =
        runProgram("/bin/sh", {"-c", "exec \"$0\" " + command + " > /dev/full", mixdownBinary().string()}, folder.path(), 60.0);
    CHECK(result.exitStatus == 75);
    CHECK(result.err.find("mixdown: error: cannot write to standard output: no space left on device") != std::string::npos);
  }
}

TEST_CASE("output safety: control characters in file names reach standard output escaped") {
  TempDir folder;
  writeGainSessions(folder, 1);
  // A mix file named with an escape sequence that would turn a terminal red and ring its bell.
  writeTextFile(folder.file("odd.json"), R"({"mixdown": 1, "tracks": [{"name": "tone", "source": "audio/tone.wav"}], )"
                                         R"("outputs": {"mix": {"file": "m\u001b[31mX\u0007.wav"}}})");
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{"render", "odd.json", "-o", "out", "--dry-run"}, {"render", "odd.json", "-o", "out"}}) {
    const CommandResult result = runMixdown(command, folder.path());
    INFO(result.out);
    CHECK(result.exitStatus == 0);
    CHECK(result.out.find('\x1b') == std::string::npos);
    CHECK(result.out.find('\x07') == std::string::npos);
    CHECK(result.out.find("m\\x1B[31mX\\x07.wav") != std::string::npos);
  }
  const CommandResult analyzed = runMixdown({"analyze", "out/m\x1b[31mX\x07.wav"}, folder.path());
  CHECK(analyzed.exitStatus == 0);
  CHECK(analyzed.out.find('\x1b') == std::string::npos);
}

TEST_CASE("output safety: output paths past 4095 bytes are refused at once, in the session or through -o") {
  TempDir folder;
  writeGainSessions(folder, 1);
  std::string deep;
  for (int segment = 0; segment < 16000; ++segment) deep += "d/";
  writeTextFile(folder.file("long.json"), R"({"mixdown": 1, "tracks": [{"name": "tone", "source": "audio/tone.wav"}], )"
                                          R"("outputs": {"mix": {"file": ")" + deep + R"(m.wav"}}})");
  const auto started = std::chrono::steady_clock::now();
  checkMixdownRefuses({"validate", "long.json"}, folder.path(), 1,
                      {"long.json: /outputs/mix/file: a file path may have at most 4095 bytes, got \"d/d/d/", "(32005 bytes)"});
  checkMixdownRefuses({"render", "s0.json", "-o", deep}, folder.path(), 1,
                      {"s0.json: /outputs/mix/file: the path \"d/d/d/", " is longer than the 4095 bytes a path may have"});
  // Each once took tens of seconds: the path checks cost time with the square of a path's length.
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() < 10.0);
}

TEST_CASE("output safety: a render whose reader goes away (SIGPIPE) stops with 141 and writes nothing") {
  TempDir folder;
  writeGainSessions(folder, 1);
  std::string clips;
  for (int repeat = 0; repeat < 2400; ++repeat) clips += std::string(repeat ? ", " : "") + R"({"file": "audio/tone.wav", "at_s": )" + std::to_string(repeat * 0.25) + "}";
  // Progress into a pipe prints a line as each phase starts: the render's first block, then the normalisation
  // pass (master.loudness), which comes after the reader has gone and before anything is put in place.
  writeTextFile(folder.file("long.json"), R"({"mixdown": 1, "master": {"loudness": {"target_lufs": -16}}, "tracks": [{"name": "tone", "source": [)" +
                                              clips + "]}]}");
  const CommandResult result = runProgram(
      "/bin/bash", {"-c", R"(set -o pipefail; "$0" render long.json -o out -j 1 --progress 2>&1 | head -c 10 > /dev/null)",
                    mixdownBinary().string()},
      folder.path(), 60.0);
  CHECK(result.exitStatus == 141);
  CHECK_FALSE(fs::exists(folder.file("out")));
}

}  // namespace mixdown::test
