// render --depfile: the depfile's text (make's escapes), and examples/make/Makefile driven by a real make:
// it renders every session once, then nothing, then exactly the sessions that read an audio file whose
// content changed.

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <map>

#include "cli/render_support.h"
#include "mixdown/cli/depfile.h"
#include "support/cli_fixtures.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;

/** Each session's report's modification time, in ns. */
std::map<std::string, std::int64_t> reportTimes(const fs::path& root, const std::vector<std::string>& names) {
  std::map<std::string, std::int64_t> times;
  for (const std::string& name : names) {
    struct stat status {};
    REQUIRE(::stat((root / "renders" / name / "report.json").c_str(), &status) == 0);
    times[name] = static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1000000000 + status.st_mtim.tv_nsec;
  }
  return times;
}

CommandResult runMake(const fs::path& root) {
  const CommandResult result = runProgram("/usr/bin/make", {"-f", (sourceDir() / "examples/make/Makefile").string(),
                                                             "MIXDOWN=" + mixdownBinary().string()},
                                          root, 120.0);
  INFO("make: " << result.out << result.err);
  CHECK(result.exitStatus == 0);
  return result;
}

}  // namespace

TEST_CASE("depfile: one rule per render, inputs' empty rules once, spaces, # and $ escaped for make") {
  const std::vector<cli::DepfileRule> rules{{{"out/mix.wav", "out/report.json"}, {"my song.json", "audio/a#1.wav"}},
                                            {{"out/v/mix.wav"}, {"my song.json", "audio/$x.wav"}}};
  CHECK(cli::depfileText(rules) ==
        "out/mix.wav out/report.json: \\\n  my\\ song.json \\\n  audio/a\\#1.wav\n"
        "out/v/mix.wav: \\\n  my\\ song.json \\\n  audio/$$x.wav\n"
        "\nmy\\ song.json:\n\naudio/a\\#1.wav:\n\naudio/$$x.wav:\n");
}

TEST_CASE("depfile: make re-renders exactly the sessions that read an audio file whose content changed") {
  TempDir folder;
  const fs::path songs = folder.file("songs");
  writeWav(songs / "audio/a.wav", noiseChannels(4800, 1, 0.3, 1), 48000, SampleFormat::Float32);
  writeWav(songs / "audio/b.wav", noiseChannels(4800, 1, 0.3, 2), 48000, SampleFormat::Float32);
  // one reads a, two reads a and b, three reads b.
  const std::map<std::string, std::vector<std::string>> reads{{"one", {"a"}}, {"two", {"a", "b"}}, {"three", {"b"}}};
  for (const auto& [name, files] : reads) {
    nlohmann::json tracks = nlohmann::json::array();
    for (const std::string& file : files) tracks.push_back({{"name", file}, {"source", "audio/" + file + ".wav"}});
    writeJsonFile(songs / (name + ".json"), {{"mixdown", 1}, {"tail_s", 0}, {"tracks", tracks},
                                             {"outputs", {{"mix", {{"file", "mix.wav"}}}}}});
  }
  const std::vector<std::string> names{"one", "two", "three"};
  runMake(folder.path());
  CHECK(readTextFile(folder.file("renders/two.d")) ==
        "renders/two/mix.wav renders/two/report.json: \\\n  songs/two.json \\\n  songs/audio/a.wav \\\n  songs/audio/b.wav\n"
        "\nsongs/two.json:\n\nsongs/audio/a.wav:\n\nsongs/audio/b.wav:\n");
  const auto first = reportTimes(folder.path(), names);
  CHECK(runMake(folder.path()).out.find("Nothing to be done") != std::string::npos);
  CHECK(reportTimes(folder.path(), names) == first);
  writeWav(songs / "audio/b.wav", noiseChannels(4800, 1, 0.3, 3), 48000, SampleFormat::Float32);
  const CommandResult remade = runMake(folder.path());
  CHECK(remade.out.find("render songs/one.json") == std::string::npos);
  CHECK(remade.out.find("render songs/two.json") != std::string::npos);
  CHECK(remade.out.find("render songs/three.json") != std::string::npos);
  const auto second = reportTimes(folder.path(), names);
  CHECK(second.at("one") == first.at("one"));
  CHECK(second.at("two") > first.at("two"));
  CHECK(second.at("three") > first.at("three"));
  // Deleting an input does not stop make (its empty rule): the session that read it fails, the others stay.
  fs::remove(songs / "audio/a.wav");
  const CommandResult missing =
      runProgram("/usr/bin/make", {"-k", "-f", (sourceDir() / "examples/make/Makefile").string(), "MIXDOWN=" + mixdownBinary().string()},
                 folder.path(), 120.0);
  CHECK(missing.exitStatus == 2);
  CHECK(missing.err.find("No rule to make target") == std::string::npos);
  CHECK(missing.err.find("songs/one.json: /tracks/0/source: cannot open \"songs/audio/a.wav\"") != std::string::npos);
  CHECK(reportTimes(folder.path(), {"three"}).at("three") == second.at("three"));
}

}  // namespace mixdown::test
