// End-to-end: a render removes what its previous render into the same folder
// wrote and it no longer writes (render/output_manifest.h), never a file
// mixdown did not write or one changed since; --clean; two renders at once.

#include <doctest/doctest.h>

#include <algorithm>
#include <future>
#include <set>
#include <string>

#include "cli/render_support.h"
#include "mixdown/io/sha256.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int kRate = 48000;

/** Four tracks a..d of noise; stems of the tracks named in stems (all when empty). */
json staleSession(const std::vector<std::string>& stems) {
  json tracks = json::array();
  for (const char* name : {"a", "b", "c", "d"}) tracks.push_back({{"name", name}, {"source", std::string("audio/") + name + ".wav"}});
  json of = stems.empty() ? json("tracks") : json(stems);
  return {{"mixdown", 1}, {"tail_s", 0}, {"tracks", tracks}, {"outputs", {{"dir", "out"}, {"stems", {{"of", of}}}}}};
}

void writeSources(const RenderFolder& folder) {
  std::uint64_t seed = 21;
  for (const char* name : {"a", "b", "c", "d"}) folder.writeSource(std::string(name) + ".wav", noiseChannels(4800, 1, 0.2, seed++), kRate);
}

/** Every file under root, relative, "/"-separated (hidden ones too). */
std::set<std::string> filesUnder(const fs::path& root) {
  std::set<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (!entry.is_directory()) files.insert(entry.path().lexically_relative(root).generic_string());
  return files;
}

json reportOf(const RenderFolder& folder) { return json::parse(readTextFile(folder.file("out/report.json"))); }

}  // namespace

TEST_CASE("cli: a second render removes the stems the first wrote and it does not, a foreign file survives") {
  RenderFolder folder;
  writeSources(folder);
  folder.writeSession(staleSession({}));
  folder.run({"render", "session.json", "--quiet"});
  const std::set<std::string> all{".mixdown-outputs.json", "mix.wav", "report.json", "stems/a.wav", "stems/b.wav",
                                  "stems/c.wav", "stems/d.wav"};
  CHECK(filesUnder(folder.file("out")) == all);
  writeTextFile(folder.file("out/notes.txt"), "mine\n");
  writeTextFile(folder.file("out/stems/mine.wav"), "not audio, and not mixdown's\n");

  folder.writeSession(staleSession({"a", "b"}));
  folder.run({"render", "session.json", "--quiet"});
  CHECK(filesUnder(folder.file("out")) == std::set<std::string>{".mixdown-outputs.json", "mix.wav", "notes.txt", "report.json",
                                                                "stems/a.wav", "stems/b.wav", "stems/mine.wav"});
  const json report = reportOf(folder);
  // Stems a and b, and the mix, are up to date (only the list of stems changed): kept as they were.
  CHECK(report.at("written") == json({"report.json"}));
  CHECK(report.at("kept") == json({"mix.wav", "stems/a.wav", "stems/b.wav"}));
  CHECK(report.at("removed") == json({"stems/c.wav", "stems/d.wav"}));

  // --mix-only: no stems are left that its report does not list; the stems folder held a foreign file, so it stays.
  folder.run({"render", "session.json", "--quiet", "--mix-only"});
  CHECK(filesUnder(folder.file("out")) ==
        std::set<std::string>{".mixdown-outputs.json", "mix.wav", "notes.txt", "report.json", "stems/mine.wav"});
  CHECK(reportOf(folder).at("removed") == json({"stems/a.wav", "stems/b.wav"}));
  const json mixOnly = reportOf(folder);
  for (const auto& output : mixOnly.at("outputs")) CHECK(output.at("kind") == "mix");
  CHECK(readTextFile(folder.file("out/notes.txt")) == "mine\n");
}

TEST_CASE("cli: the record names each file with the SHA-256 of its bytes, and an emptied stems folder goes") {
  RenderFolder folder;
  writeSources(folder);
  folder.writeSession(staleSession({}));
  folder.run({"render", "session.json", "--quiet"});
  const json record = json::parse(readTextFile(folder.file("out/.mixdown-outputs.json")));
  REQUIRE(record.at("files").size() == 6);
  for (const auto& entry : record.at("files"))
    CHECK(io::sha256OfFile(folder.file("out") / entry.at("file").get<std::string>()) == entry.at("sha256").get<std::string>());
  folder.run({"render", "session.json", "--quiet", "--mix-only"});
  CHECK(!fs::exists(folder.file("out/stems")));
}

TEST_CASE("cli: a listed file the user changed since is left in place, with a warning naming it") {
  RenderFolder folder;
  writeSources(folder);
  folder.writeSession(staleSession({}));
  folder.run({"render", "session.json", "--quiet"});
  writeTextFile(folder.file("out/stems/c.wav"), "edited by hand\n");
  fs::remove(folder.file("out/stems/d.wav"));  // one already gone: nothing to say
  const CommandResult result = folder.run({"render", "session.json", "--mix-only"});
  CHECK(result.err.find("\"stems/c.wav\" was written by an earlier render but has been changed since; left in place") !=
        std::string::npos);
  CHECK(readTextFile(folder.file("out/stems/c.wav")) == "edited by hand\n");
  CHECK(!fs::exists(folder.file("out/stems/a.wav")));
  CHECK(reportOf(folder).at("removed") == json({"stems/a.wav", "stems/b.wav"}));
  // It is the user's now: no longer listed, so the next render says nothing about it.
  const CommandResult again = folder.run({"render", "session.json", "--mix-only"});
  CHECK(again.err.find("stems/c.wav") == std::string::npos);
}

TEST_CASE("cli: --clean removes mixdown's earlier outputs before rendering, --dry-run lists what would go") {
  RenderFolder folder;
  writeSources(folder);
  folder.writeSession(staleSession({}));
  folder.run({"render", "session.json", "--quiet"});
  writeTextFile(folder.file("out/notes.txt"), "mine\n");
  const CommandResult dry = folder.run({"render", "session.json", "--dry-run", "--mix-only"});
  for (const char* stem : {"a", "b", "c", "d"})
    CHECK(dry.out.find(std::string("would remove out/stems/") + stem + ".wav") != std::string::npos);
  CHECK(filesUnder(folder.file("out")).size() == 8);  // the dry run removed nothing

  // A session that does not load is refused before --clean touches the folder.
  json broken = staleSession({});
  broken["tracks"][0]["source"] = "audio/missing.wav";
  folder.writeSession(broken, "broken.json");
  const CommandResult failed = runMixdown({"render", "broken.json", "--clean", "-o", "out"}, folder.path());
  CHECK(failed.exitStatus == 1);
  CHECK(filesUnder(folder.file("out")).size() == 8);

  folder.run({"render", "session.json", "--quiet", "--clean", "--mix-only"});
  CHECK(filesUnder(folder.file("out")) == std::set<std::string>{".mixdown-outputs.json", "mix.wav", "notes.txt", "report.json"});
}

TEST_CASE("cli: two renders into one folder at once leave exactly the outputs of the one that finished last") {
  RenderFolder folder;
  writeSources(folder);
  folder.writeSession(staleSession({"a", "b", "c"}), "three.json");
  folder.writeSession(staleSession({"d"}), "one.json");
  for (int round = 0; round < 3; ++round) {
    auto first = std::async(std::launch::async, [&] { return runMixdown({"render", "three.json", "-o", "out", "-q"}, folder.path()); });
    auto second = std::async(std::launch::async, [&] { return runMixdown({"render", "one.json", "-o", "out", "-q"}, folder.path()); });
    CHECK(first.get().exitStatus == 0);
    CHECK(second.get().exitStatus == 0);
    const json report = reportOf(folder);
    std::set<std::string> expected{".mixdown-outputs.json"};
    for (const auto& name : report.at("written")) expected.insert(name.get<std::string>());
    for (const auto& name : report.at("kept")) expected.insert(name.get<std::string>());  // up to date: the same render
    CHECK(filesUnder(folder.file("out")) == expected);
  }
}

}  // namespace mixdown::test
