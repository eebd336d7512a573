// End-to-end: a render keeps the outputs that are up to date (render/output_recipes.h):
// an unchanged session writes nothing, a changed track rewrites only what it
// feeds, an input touched but not changed rewrites nothing, --force rewrites
// everything; what is kept is byte for byte what a full render writes.

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "cli/render_support.h"
#include "mixdown/io/output_record_name.h"
#include "support/installed_plugins.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int kRate = 48000;

/** What says a file was (not) written again: its inode and mtime. */
struct Written {
  ino_t inode = 0;
  std::int64_t mtimeNs = 0;
  bool operator==(const Written&) const = default;
};

/** Every output under root, by its relative name. Not the hidden record: it is the folder's cache, and a
    render that writes no output may still refresh it (inputs that had only just changed when last read). */
std::map<std::string, Written> identities(const fs::path& root) {
  std::map<std::string, Written> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_directory() || entry.path().filename() == io::kOutputRecordName) continue;
    struct stat status {};
    REQUIRE(::lstat(entry.path().c_str(), &status) == 0);
    files[entry.path().lexically_relative(root).generic_string()] =
        Written{status.st_ino, static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec};
  }
  return files;
}

/** The names whose file was written again (or appeared) between two listings. */
std::set<std::string> rewritten(const std::map<std::string, Written>& before, const std::map<std::string, Written>& after) {
  std::set<std::string> names;
  for (const auto& [name, identity] : after)
    if (!before.count(name) || !(before.at(name) == identity)) names.insert(name);
  return names;
}

/** Tracks a, b and c of noise; c plays through the bus "drums"; stems of every track and bus. */
json threeTrackSession() {
  return {{"mixdown", 1},
          {"tail_s", 0},
          {"tracks",
           {{{"name", "a"}, {"source", "audio/a.wav"}},
            {{"name", "b"}, {"source", "audio/b.wav"}, {"gain_db", -3}},
            {{"name", "c"}, {"source", "audio/c.wav"}, {"output", "drums"}}}},
          {"buses", {{{"name", "drums"}, {"inserts", {{{"type", "compressor"}, {"threshold_db", -20}}}}}}},
          {"outputs", {{"dir", "out"}, {"stems", {{"of", "all"}}}}}};
}

void writeNoise(const RenderFolder& folder, const std::string& name, std::uint64_t seed) {
  folder.writeSource(name + ".wav", noiseChannels(kRate / 2, 1, 0.2, seed), kRate);
}

void writeThreeSources(const RenderFolder& folder) {
  writeNoise(folder, "a", 1);
  writeNoise(folder, "b", 2);
  writeNoise(folder, "c", 3);
}

/** The three tracks' session rendered once into out/. */
void renderThreeTracks(const RenderFolder& folder) {
  writeThreeSources(folder);
  folder.writeSession(threeTrackSession());
  folder.run({"render", "session.json", "--quiet"});
}

json reportOf(const RenderFolder& folder) { return json::parse(readTextFile(folder.file("out/report.json"))); }

/** Every audio file of out/ equals the one a --force render of the same session wrote into full/. */
void checkAsFullRender(const RenderFolder& folder) {
  folder.run({"render", "session.json", "-o", "full", "--force", "--quiet"});
  for (const auto& [name, identity] : identities(folder.file("full"))) {
    if (name == io::kOutputRecordName || name == "report.json") continue;
    INFO(name);
    CHECK(bytesOf(folder.file("out") / name) == bytesOf(folder.file("full") / name));
  }
}

}  // namespace

TEST_CASE("render up to date: a second render of an unchanged session writes nothing, --force writes everything") {
  RenderFolder folder;
  renderThreeTracks(folder);
  const auto first = identities(folder.file("out"));
  REQUIRE(first.size() == 6);  // mix, 3 track stems, 1 bus stem, report

  const CommandResult again = folder.run({"render", "session.json"});
  CHECK(again.out.find(", up to date") != std::string::npos);
  CHECK(identities(folder.file("out")) == first);

  const CommandResult dry = folder.run({"render", "session.json", "--dry-run"});
  CHECK(dry.out.find("would keep out/stems/a.wav (up to date)") != std::string::npos);
  CHECK(dry.out.find("would write") == std::string::npos);

  folder.run({"render", "session.json", "--force", "--quiet"});
  const auto forced = identities(folder.file("out"));
  CHECK(rewritten(first, forced).size() == first.size());
  CHECK(reportOf(folder).at("kept").empty());
}

TEST_CASE("render up to date: after one track's gain changes only its stem, its bus's, the mix and the report are written") {
  RenderFolder folder;
  writeThreeSources(folder);
  json session = threeTrackSession();
  folder.writeSession(session);
  folder.run({"render", "session.json", "--quiet"});
  const auto before = identities(folder.file("out"));
  session["tracks"][2]["gain_db"] = -6;  // c, through the bus
  folder.writeSession(session);
  folder.run({"render", "session.json", "--quiet"});
  CHECK(rewritten(before, identities(folder.file("out"))) ==
        std::set<std::string>{"stems/c.wav", "stems/drums.wav", "mix.wav", "report.json"});
  const json report = reportOf(folder);
  CHECK(report.at("written") == json({"mix.wav", "stems/c.wav", "stems/drums.wav", "report.json"}));
  CHECK(report.at("kept") == json({"stems/a.wav", "stems/b.wav"}));
  // The report still describes every output, the kept ones as they were measured.
  CHECK(report.at("outputs").size() == 5);
  checkAsFullRender(folder);

  // A track's solo silences the others: every stem but its own changes.
  const auto unsoloed = identities(folder.file("out"));
  session["tracks"][0]["solo"] = true;
  folder.writeSession(session);
  folder.run({"render", "session.json", "--quiet"});
  CHECK(rewritten(unsoloed, identities(folder.file("out"))) ==
        std::set<std::string>{"stems/b.wav", "stems/c.wav", "stems/drums.wav", "mix.wav", "report.json"});
  checkAsFullRender(folder);
}

TEST_CASE("render up to date: inputs read again while they had only just changed are trusted from then on") {
  RenderFolder folder;
  renderThreeTracks(folder);  // its sources written just before: read again by the next check, whatever it finds
  const fs::path record = folder.file("out") / io::kOutputRecordName;
  const auto before = identities(folder.file("out"));
  const std::string recorded = readTextFile(record);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // past InputDigests::kSettleS
  CHECK(folder.run({"render", "session.json"}).out.find(", up to date") != std::string::npos);
  CHECK(identities(folder.file("out")) == before);  // no output written
  const std::string refreshed = readTextFile(record);
  CHECK(refreshed != recorded);  // the sources' identities, now settled, are in it
  CHECK(json::parse(refreshed).at("inputs").at(0).contains("identity"));
  CHECK_FALSE(json::parse(recorded).at("inputs").at(0).contains("identity"));
  // From now on nothing is read again and nothing at all is written.
  CHECK(folder.run({"render", "session.json"}).out.find(", up to date") != std::string::npos);
  CHECK(readTextFile(record) == refreshed);
}

TEST_CASE("render up to date: an input touched but unchanged rewrites nothing, a changed one what reads it") {
  RenderFolder folder;
  renderThreeTracks(folder);
  const auto before = identities(folder.file("out"));
  // As a git checkout leaves it: the same bytes, a new mtime (and ctime, and here a new inode).
  const std::vector<unsigned char> bytes = bytesOf(folder.file("audio/a.wav"));
  fs::remove(folder.file("audio/a.wav"));
  writeTextFile(folder.file("audio/a.wav"), std::string(bytes.begin(), bytes.end()));
  fs::last_write_time(folder.file("audio/a.wav"), fs::file_time_type::clock::now() + std::chrono::hours(1));
  const CommandResult touched = folder.run({"render", "session.json"});
  CHECK(touched.out.find(", up to date") != std::string::npos);
  CHECK(identities(folder.file("out")) == before);

  writeNoise(folder, "b", 99);  // same length, other content
  folder.run({"render", "session.json", "--quiet"});
  CHECK(rewritten(before, identities(folder.file("out"))) ==
        std::set<std::string>{"stems/b.wav", "mix.wav", "report.json"});
  checkAsFullRender(folder);
}

TEST_CASE("render up to date: an output edited by hand is rendered again, one restored from a copy is kept") {
  RenderFolder folder;
  renderThreeTracks(folder);
  const std::vector<unsigned char> original = bytesOf(folder.file("out/stems/a.wav"));
  // Restored from a copy: a new inode and mtime, the same bytes.
  fs::copy_file(folder.file("out/stems/a.wav"), folder.file("copy.wav"));
  fs::remove(folder.file("out/stems/a.wav"));
  fs::copy_file(folder.file("copy.wav"), folder.file("out/stems/a.wav"));
  const auto restored = identities(folder.file("out"));
  CHECK(folder.run({"render", "session.json"}).out.find(", up to date") != std::string::npos);
  CHECK(identities(folder.file("out")) == restored);

  writeTextFile(folder.file("out/stems/b.wav"), "edited by hand\n");
  folder.run({"render", "session.json", "--quiet"});
  CHECK(reportOf(folder).at("written") == json({"stems/b.wav", "report.json"}));  // the mix came out the same
  CHECK(bytesOf(folder.file("out/stems/a.wav")) == original);
  checkAsFullRender(folder);
}

TEST_CASE("render up to date: --strict still fails on the warnings the kept outputs carry") {
  RenderFolder folder;
  writeThreeSources(folder);
  json session = threeTrackSession();
  session["tracks"][0]["gain_db"] = 24;  // a clips
  folder.writeSession(session);
  const CommandResult first = folder.run({"render", "session.json", "--quiet"});
  CHECK(first.err.find("track \"a\" clips after its fader") != std::string::npos);
  const auto before = identities(folder.file("out"));
  const CommandResult strict = runMixdown({"render", "session.json", "--strict"}, folder.path());
  CHECK(strict.exitStatus == 1);
  CHECK(strict.err.find("error: session.json: track \"a\" clips after its fader") != std::string::npos);
  CHECK(identities(folder.file("out")) == before);
  // Another track changes: a's stem is kept, and so is the warning about its clipped samples.
  session["tracks"][1]["gain_db"] = -4;
  folder.writeSession(session);
  const CommandResult partial = folder.run({"render", "session.json", "--quiet"});
  CHECK(reportOf(folder).at("kept") == json({"stems/a.wav", "stems/c.wav", "stems/drums.wav"}));
  const std::size_t stemWarning = partial.err.find("session.json: stems/a.wav: ");
  REQUIRE(stemWarning != std::string::npos);
  const std::string line = partial.err.substr(stemWarning, partial.err.find('\n', stemWarning) - stemWarning);
  CHECK(line.find(" samples clipped at full scale") != std::string::npos);
}

TEST_CASE("render up to date: under the automatic tail a kept stem follows a new length") {
  RenderFolder folder;
  writeNoise(folder, "a", 5);
  PlanarSamples click(1, std::vector<float>(4800, 0.0f));
  click[0][0] = 0.5f;
  folder.writeSource("click.wav", click, kRate);
  json session{{"mixdown", 1},
               {"tail_s", "auto"},
               {"tracks",
                {{{"name", "a"}, {"source", "audio/a.wav"}},
                 {{"name", "echo"},
                  {"source", "audio/click.wav"},
                  {"inserts", {{{"type", "delay"}, {"time_ms", 100}, {"feedback", 0.8}, {"mix", 1}}}}}}},
               {"outputs", {{"dir", "out"}, {"stems", {{"of", "tracks"}}}}}};
  folder.writeSession(session);
  folder.run({"render", "session.json", "--quiet"});
  const std::int64_t shorter = reportOf(folder).at("frames").get<std::int64_t>();
  session["tracks"][1]["inserts"][0]["feedback"] = 0.9;  // rings longer: the render is longer
  folder.writeSession(session);
  folder.run({"render", "session.json", "--quiet"});
  const json report = reportOf(folder);
  CHECK(report.at("frames").get<std::int64_t>() > shorter);
  CHECK(report.at("kept").empty());  // a's stem, up to date by its recipe, is rendered to the new length
  CHECK(readOutput(folder.file("out/stems/a.wav")).frames == report.at("frames").get<std::int64_t>());
  checkAsFullRender(folder);
}

TEST_CASE("render up to date: a plugin's library changed under the same URI renders what it is in again") {
  const fs::path installed = "/usr/lib/lv2/eg-amp.lv2";
  if (!pluginInstalled(kEgAmp, "lv2-examples") || !fs::exists(installed)) return;
  RenderFolder folder;
  // A copy of eg-amp's bundle, alone on LV2_PATH: its library can be changed as a package upgrade would.
  fs::create_directories(folder.file("lv2/eg-amp.lv2"));
  fs::copy(installed, folder.file("lv2/eg-amp.lv2"), fs::copy_options::recursive);
  writeThreeSources(folder);
  json session = threeTrackSession();
  session["tracks"][1]["inserts"] = {{{"type", "lv2"}, {"uri", kEgAmp}, {"controls", {{"gain", -6}}}}};
  folder.writeSession(session);
  const auto render = [&] {
    const CommandResult result = runProgram("/usr/bin/env", {"LV2_PATH=" + folder.file("lv2").string(), mixdownBinary().string(),
                                                             "render", "session.json", "--quiet"},
                                            folder.path());
    REQUIRE(result.exitStatus == 0);
  };
  const auto recipes = [&] {  // each file's recipe, as the folder's record holds it
    std::map<std::string, std::string> byFile;
    const json record = json::parse(readTextFile(folder.file("out") / io::kOutputRecordName));
    for (const auto& entry : record.at("files"))
      byFile[entry.at("file").get<std::string>()] = entry.at("recipe").get<std::string>();
    return byFile;
  };
  render();
  const auto before = identities(folder.file("out"));
  const auto recipesBefore = recipes();
  render();
  CHECK(identities(folder.file("out")) == before);  // unchanged: up to date
  // The same code with a byte more at the end of the file: a library of other content.
  fs::path library;
  for (const auto& entry : fs::directory_iterator(folder.file("lv2/eg-amp.lv2")))
    if (entry.path().extension() == ".so") library = entry.path();
  REQUIRE_FALSE(library.empty());
  std::ofstream(library, std::ios::app | std::ios::binary) << '\0';
  render();
  const auto recipesAfter = recipes();
  // b (the plugin's track), the mix and the report were made again; the other stems were not.
  for (const char* changed : {"stems/b.wav", "mix.wav", "report.json"}) CHECK(recipesAfter.at(changed) != recipesBefore.at(changed));
  for (const char* same : {"stems/a.wav", "stems/c.wav", "stems/drums.wav"}) CHECK(recipesAfter.at(same) == recipesBefore.at(same));
  // The plugin's code did not change what it does: b came out the same bytes and was kept as it was.
  CHECK(identities(folder.file("out")).at("stems/b.wav") == before.at("stems/b.wav"));
}

}  // namespace mixdown::test
