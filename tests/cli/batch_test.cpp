// Batches: a manifest, --shard K/N and --stride/--index splitting it the same way whatever the order given,
// --results lines and batch collect. The split is checked against its rule computed here (sorted by the
// session's path as written, every N-th), and shards' outputs against one run's, byte for byte.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "mixdown/io/output_record_name.h"
#include "cli/render_support.h"
#include "support/cli_fixtures.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;

constexpr int kSessions = 20;

std::string sessionName(int number) {
  char name[32];
  std::snprintf(name, sizeof name, "songs/s%02d.json", number);
  return name;
}

/**
 * A 20-session batch under root: songs/sNN.json, two tracks of 0.25 s noise each (seeded by NN), stems of
 * the tracks, every third session with a variant; manifest.txt lists them in a scrambled order, some lines
 * with their own --set or -o.
 */
void writeBatch(const fs::path& root) {
  std::string manifest = "# the batch\n\n";
  for (int step = 0; step < kSessions; ++step) {
    const int number = (step * 7) % kSessions;  // 7 and 20 are coprime: every session once, out of order
    const std::string audio = "audio/n" + std::to_string(number);
    writeWav(root / "songs" / (audio + "a.wav"), noiseChannels(12000, 1, 0.3, 1000 + static_cast<std::uint64_t>(number)), 48000,
             SampleFormat::Float32);
    writeWav(root / "songs" / (audio + "b.wav"), noiseChannels(12000, 2, 0.2, 2000 + static_cast<std::uint64_t>(number)), 48000,
             SampleFormat::Float32);
    nlohmann::json session{{"mixdown", 1},
                           {"tail_s", 0},
                           {"tracks", {{{"name", "a"}, {"source", audio + "a.wav"}}, {{"name", "b"}, {"source", audio + "b.wav"}}}},
                           {"outputs", {{"dir", "../out/s" + std::to_string(number)},
                                        {"mix", {{"file", "mix.wav"}, {"bit_depth", 24}}},
                                        {"stems", {{"of", "tracks"}, {"bit_depth", 24}}}}}};
    if (number % 3 == 0) session["variants"] = {{"quiet", {{"set", {{"tracks.a.gain_db", -6.0}}}}}};
    writeJsonFile(root / sessionName(number), session);
    std::string line = (number % 2 ? "./" : "") + sessionName(number);
    if (number % 5 == 1) line += " --set 'tracks.b.gain_db=-3'";
    if (number % 5 == 2) line += " -o \"out/own " + std::to_string(number) + "\"  # its own folder";
    manifest += line + "\n";
  }
  writeTextFile(root / "manifest.txt", manifest);
}

/** Every file under root/out, by its path relative to root/out, with its bytes. */
std::map<std::string, std::vector<unsigned char>> outputFiles(const fs::path& root) {
  std::map<std::string, std::vector<unsigned char>> files;
  for (const auto& entry : fs::recursive_directory_iterator(root / "out"))
    if (entry.is_regular_file()) {
      // The hidden record holds each file's inode and mtime: the folder's own, not an output; its presence counts.
      const bool record = entry.path().filename() == io::kOutputRecordName;
      files[fs::relative(entry.path(), root / "out").generic_string()] = record ? std::vector<unsigned char>{} : bytesOf(entry.path());
    }
  return files;
}

std::vector<nlohmann::json> jsonLines(const fs::path& file) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(file);
  for (std::string text; std::getline(in, text);) lines.push_back(nlohmann::json::parse(text));
  return lines;
}

CommandResult mixdownIn(const fs::path& folder, const std::vector<std::string>& arguments) {
  CommandResult result = runMixdown(arguments, folder);
  INFO("mixdown " << arguments.front() << ": " << result.err);
  CHECK(result.exitStatus == 0);
  return result;
}

/** The sessions a --dry-run lists ("songs/s03.json: would write ..."), each once. */
std::set<std::string> sessionsListed(const std::string& out) {
  std::set<std::string> sessions;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)  // "S: would write F" (and "S: runs ...", the length)
    if (line.find(": would ") != std::string::npos) sessions.insert(line.substr(0, line.find(": would ")));
  return sessions;
}

}  // namespace

TEST_CASE("batch: 1, 3 and 7 shards of a 20-session manifest write exactly one run's files, each render once") {
  TempDir single;
  writeBatch(single.path());
  mixdownIn(single.path(), {"render", "--manifest", "manifest.txt", "-q", "-j", "1"});
  const auto expected = outputFiles(single.path());
  // 20 sessions, 7 with a variant; mix, 2 stems, the report and the record of what it wrote each render.
  REQUIRE(expected.size() == static_cast<std::size_t>((kSessions + 7) * 5));
  for (const int shards : {1, 3, 7}) {
    INFO(shards << " shards");
    TempDir batch;
    writeBatch(batch.path());
    std::map<std::string, int> rendersOf;  // "session [variant]" -> ok lines over all shards
    for (int shard = 1; shard <= shards; ++shard) {
      const std::string results = "results/" + std::to_string(shard) + ".jsonl";
      mixdownIn(batch.path(), {"render", "--manifest", "manifest.txt", "--shard", std::to_string(shard) + "/" + std::to_string(shards),
                               "--results", results, "-q", "-j", "2"});
      std::set<std::string> sessions;
      for (const auto& line : jsonLines(batch.file(results))) {
        CHECK(line.at("status") == "ok");
        CHECK(line.at("outputs").size() == 3);  // the mix and two stems
        sessions.insert(line.at("session").get<std::string>());
        ++rendersOf[line.at("session").get<std::string>() + " " + line.at("variant").dump()];
      }
      // Shards differ in size by one at most: 20 / N rounded down or up.
      CHECK(sessions.size() >= static_cast<std::size_t>(kSessions / shards));
      CHECK(sessions.size() <= static_cast<std::size_t>((kSessions + shards - 1) / shards));
    }
    CHECK(rendersOf.size() == static_cast<std::size_t>(kSessions + 7));
    for (const auto& [render, count] : rendersOf) CHECK_MESSAGE(count == 1, render);
    CHECK(outputFiles(batch.path()) == expected);
    std::vector<std::string> collect{"batch", "collect", "--manifest", "manifest.txt", "-o", "all.jsonl"};
    for (int shard = 1; shard <= shards; ++shard) collect.push_back("results/" + std::to_string(shard) + ".jsonl");
    const CommandResult collected = mixdownIn(batch.path(), collect);
    CHECK(collected.out.find("collect: 27 renders of 20 sessions: 27 ok, 0 failed, 0 missing\n") == 0);
    CHECK(jsonLines(batch.file("all.jsonl")).size() == 27);
  }
}

TEST_CASE("batch: a shard is every N-th session sorted by its path as written, whatever the order given") {
  TempDir folder;
  writeBatch(folder.path());
  std::vector<std::string> sessions;
  for (int number = 0; number < kSessions; ++number) sessions.push_back(sessionName(number));
  std::vector<std::string> reversed(sessions.rbegin(), sessions.rend());
  // The names sort as their numbers: shard K of 3 holds the numbers n with n % 3 == K - 1.
  for (int shard = 1; shard <= 3; ++shard) {
    std::set<std::string> expected;
    for (int number = shard - 1; number < kSessions; number += 3) expected.insert(sessionName(number));
    for (const auto& order : {sessions, reversed}) {
      std::vector<std::string> arguments{"render", "--dry-run", "--no-variants", "--shard", std::to_string(shard) + "/3"};
      arguments.insert(arguments.end(), order.begin(), order.end());
      CHECK(sessionsListed(mixdownIn(folder.path(), arguments).out) == expected);
    }
    // --stride splits the shard the same way again: index I takes its every S-th, from I.
    std::vector<std::string> shardSessions(expected.begin(), expected.end());
    for (int index = 0; index < 2; ++index) {
      std::set<std::string> strided;
      for (std::size_t at = static_cast<std::size_t>(index); at < shardSessions.size(); at += 2) strided.insert(shardSessions[at]);
      std::vector<std::string> arguments{"render", "--dry-run", "--no-variants", "--shard", std::to_string(shard) + "/3", "--stride", "2"};
      arguments.insert(arguments.end(), reversed.begin(), reversed.end());
      // The index from Slurm's variable, then from Kubernetes' when Slurm's is not set.
      setenv(index == 0 ? "SLURM_ARRAY_TASK_ID" : "JOB_COMPLETION_INDEX", std::to_string(index).c_str(), 1);
      CHECK(sessionsListed(mixdownIn(folder.path(), arguments).out) == strided);
      unsetenv("SLURM_ARRAY_TASK_ID");
      unsetenv("JOB_COMPLETION_INDEX");
      arguments.push_back("--index=" + std::to_string(index));
      CHECK(sessionsListed(mixdownIn(folder.path(), arguments).out) == strided);
    }
  }
}

TEST_CASE("batch: a bad manifest line or sharding option is a usage error naming it, and nothing is rendered") {
  TempDir folder;
  writeBatch(folder.path());
  const std::vector<std::pair<std::string, std::string>> lines{
      {"songs/s01.json --bogus", "bad.txt:2: The following argument was not expected: --bogus"},
      {"songs/s01.json --set", "bad.txt:2: --set: 1 required TEXT missing"},
      {"songs/s01.json 'open", "bad.txt:2: a single quote is not closed"},
      {"--set a=1 songs/s01.json", "bad.txt:2: a line starts with its session's path, then that session's options"},
      {"songs/s01.json songs/s02.json", "bad.txt:2: The following argument was not expected: songs/s02.json"},
      {"songs/s01.json --mix-only --stems-only", "bad.txt:2: --mix-only excludes --stems-only"},
      {"./songs/s00.json", "bad.txt:2: repeats line 1 (it would render the same outputs twice)"}};
  for (const auto& [line, message] : lines) {
    INFO(line);
    writeTextFile(folder.file("bad.txt"), "songs/s00.json\n" + line + "\n");
    const CommandResult result = runMixdown({"render", "--manifest", "bad.txt"}, folder.path());
    CHECK(result.exitStatus == 2);
    CHECK(result.err == "mixdown: error: " + message + "\n");
    CHECK_FALSE(fs::exists(folder.file("out")));
  }
  const std::vector<std::pair<std::vector<std::string>, std::string>> options{
      {{"--manifest", "none.txt"}, "none.txt: cannot open the manifest: No such file or directory"},
      {{"--shard", "0/3", "songs/s00.json"}, "--shard: \"0/3\" is not K/N with 1 <= K <= N (e.g. --shard 2/7)"},
      {{"--shard", "4/3", "songs/s00.json"}, "--shard: \"4/3\" is not K/N with 1 <= K <= N (e.g. --shard 2/7)"},
      {{"--stride", "4", "--index", "4", "songs/s00.json"}, "--index 4 is not below --stride 4 (indexes count from 0: a Slurm array --array=0-3)"},
      {{"--stride", "4", "songs/s00.json"}, "--stride: no --index, and neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set"}};
  for (const auto& [arguments, message] : options) {
    INFO(message);
    std::vector<std::string> command{"render"};
    command.insert(command.end(), arguments.begin(), arguments.end());
    const CommandResult result = runMixdown(command, folder.path());
    CHECK(result.exitStatus == 2);
    CHECK(result.err == "mixdown: error: " + message + "\n");
    CHECK_FALSE(fs::exists(folder.file("out")));
  }
}

TEST_CASE("batch: collect names the failed and the missing renders and exits 1, and a retry's success counts") {
  TempDir folder;
  writeBatch(folder.path());
  fs::remove(folder.file("songs/audio/n4b.wav"));  // s04 cannot render: permanent, exit 1
  const CommandResult first = runMixdown({"render", "--manifest", "manifest.txt", "--shard", "1/2", "--results", "r1.jsonl", "-q"},
                                         folder.path());
  CHECK(first.exitStatus == 1);  // s04 is in shard 1 (the even numbers)
  // Shard 2's results are missing, and a cut last line (a writer killed mid-line) is ignored with a warning.
  std::ofstream(folder.file("r1.jsonl"), std::ios::app) << R"({"session": "songs/s01.js)";
  CommandResult collected = runMixdown({"batch", "collect", "--manifest", "manifest.txt", "r1.jsonl"}, folder.path());
  CHECK(collected.exitStatus == 1);
  CHECK(collected.err.find("r1.jsonl:15: not a results line (a writer stopped mid-line?): ignored") != std::string::npos);
  CHECK(collected.out.find("collect: 14 renders of 20 sessions: 13 ok, 1 failed, 10 missing\n") == 0);
  CHECK(collected.out.find("failed: songs/s04.json: failed (exit 1): songs/s04.json: /tracks/1/source: cannot open") != std::string::npos);
  CHECK(collected.out.find("missing: songs/s01.json --set tracks.b.gain_db=-3\n") != std::string::npos);
  CHECK(collected.out.find("missing: songs/s19.json\n") != std::string::npos);
  // --shard 1/2 is the split of --stride 2 at index 0: the missing sessions are task 1's; s04's failure is
  // permanent, so task 0 needs no retry.
  collected = runMixdown({"batch", "collect", "--manifest", "manifest.txt", "--stride", "2", "r1.jsonl"}, folder.path());
  CHECK(collected.exitStatus == 1);
  CHECK(collected.out.find("\nre-run tasks: 1\n") != std::string::npos);
  // A retry of task 0 that failed transiently on s00 (a full disk, say) after its earlier success: the last line of
  // the file wins, and task 0 is to be re-run too.
  const std::string firstLine = readTextFile(folder.file("r1.jsonl")).substr(0, readTextFile(folder.file("r1.jsonl")).find('\n'));
  nlohmann::json transient = nlohmann::json::parse(firstLine);
  transient["status"] = "transient";
  transient["exit_status"] = 75;
  std::ofstream(folder.file("r1.jsonl"), std::ios::app) << "\n" << transient.dump() << "\n";
  collected = runMixdown({"batch", "collect", "--manifest", "manifest.txt", "--stride", "2", "r1.jsonl"}, folder.path());
  CHECK(collected.out.find("collect: 14 renders of 20 sessions: 12 ok, 2 failed, 10 missing\n") == 0);
  CHECK(collected.out.find("\nre-run tasks: 0,1\n") != std::string::npos);
  CHECK(runMixdown({"batch", "collect", "--stride", "2", "r1.jsonl"}, folder.path()).err ==
        "mixdown: error: --stride and --shard need the --manifest the tasks rendered\n");
  // The retry of shard 1, after the file is back, and shard 2: everything is there.
  writeWav(folder.file("songs/audio/n4b.wav"), noiseChannels(12000, 2, 0.2, 2004), 48000, SampleFormat::Float32);
  mixdownIn(folder.path(), {"render", "--manifest", "manifest.txt", "--shard", "1/2", "--results", "r1.jsonl", "-q"});
  mixdownIn(folder.path(), {"render", "--manifest", "manifest.txt", "--shard", "2/2", "--results", "r2.jsonl", "-q"});
  collected = mixdownIn(folder.path(), {"batch", "collect", "--manifest", "manifest.txt", "r1.jsonl", "r2.jsonl"});
  CHECK(collected.out.find("collect: 27 renders of 20 sessions: 27 ok, 0 failed, 0 missing; 13 rendered successfully more than once\n") == 0);
}

}  // namespace mixdown::test
