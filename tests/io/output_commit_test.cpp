// Committing a render's files: every target gets its new file, or (when one
// fails) every target keeps what it held, with both ways of replacing a file.

#include "mixdown/io/output_commit.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "mixdown/util/error.h"
#include "support/cli_fixtures.h"
#include "support/temp_dir.h"

namespace mixdown::io {

namespace {

namespace fs = std::filesystem;

TemporaryFile temporaryHolding(const fs::path& target, const std::string& text) {
  TemporaryFile file(target);
  REQUIRE(::write(file.descriptor(), text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  return file;
}

std::set<std::string> entriesOf(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.insert(entry.path().filename().string());
  return names;
}

}  // namespace

TEST_CASE("output commit: new and existing targets all take their new files, no temporary is left") {
  for (const ReplaceMethod method : {ReplaceMethod::Exchange, ReplaceMethod::RenameAside}) {
    INFO("method " << static_cast<int>(method));
    test::TempDir dir;
    std::ofstream(dir.file("old.wav")) << "old audio";
    fs::create_symlink("elsewhere.wav", dir.file("link.wav"));
    std::ofstream(dir.file("elsewhere.wav")) << "not ours";
    {
      TemporaryFile fresh = temporaryHolding(dir.file("new.wav"), "new file");
      TemporaryFile replacing = temporaryHolding(dir.file("old.wav"), "new audio");
      TemporaryFile overLink = temporaryHolding(dir.file("link.wav"), "replaces the link");
      commitStagedFiles({{&fresh, dir.file("new.wav")}, {&replacing, dir.file("old.wav")}, {&overLink, dir.file("link.wav")}},
                        method);
    }
    CHECK(test::readTextFile(dir.file("new.wav")) == "new file");
    CHECK(test::readTextFile(dir.file("old.wav")) == "new audio");
    CHECK_FALSE(fs::is_symlink(dir.file("link.wav")));  // the link itself is replaced, never followed
    CHECK(test::readTextFile(dir.file("link.wav")) == "replaces the link");
    CHECK(test::readTextFile(dir.file("elsewhere.wav")) == "not ours");
    CHECK(dir.entries() == std::set<std::string>{"new.wav", "old.wav", "link.wav", "elsewhere.wav"});
  }
}

TEST_CASE("output commit: a target that fails rolls back every file put in before it") {
  for (const ReplaceMethod method : {ReplaceMethod::Exchange, ReplaceMethod::RenameAside}) {
    INFO("method " << static_cast<int>(method));
    test::TempDir dir;
    fs::create_directory(dir.file("stems"));
    std::ofstream(dir.file("mix.wav")) << "previous mix";
    std::string message;
    {
      TemporaryFile fresh = temporaryHolding(dir.file("new.wav"), "new file");
      TemporaryFile mix = temporaryHolding(dir.file("mix.wav"), "new mix");
      TemporaryFile stem = temporaryHolding(dir.file("stems/a.wav"), "new stem");
      // The stems folder vanishes before the commit: the third file cannot go in.
      fs::remove_all(dir.file("stems"));
      try {
        commitStagedFiles({{&fresh, dir.file("new.wav")}, {&mix, dir.file("mix.wav")}, {&stem, dir.file("stems/a.wav")}},
                          method);
      } catch (const IoError& error) {
        message = error.what();
      }
    }
    CHECK(message.find("cannot write \"" + dir.file("stems/a.wav").string() + "\"") == 0);
    CHECK(test::readTextFile(dir.file("mix.wav")) == "previous mix");
    CHECK(entriesOf(dir.path()) == std::set<std::string>{"mix.wav"});
  }
}

TEST_CASE("output commit: a folder made at a target during the render fails the commit and is left as it was") {
  for (const ReplaceMethod method : {ReplaceMethod::Exchange, ReplaceMethod::RenameAside}) {
    INFO("method " << static_cast<int>(method));
    test::TempDir dir;
    std::ofstream(dir.file("mix.wav")) << "previous mix";
    std::string message;
    {
      TemporaryFile mix = temporaryHolding(dir.file("mix.wav"), "new mix");
      TemporaryFile report = temporaryHolding(dir.file("report.json"), "new report");
      fs::create_directory(dir.file("report.json"));
      std::ofstream(dir.file("report.json/keep.txt")) << "precious";
      try {
        commitStagedFiles({{&mix, dir.file("mix.wav")}, {&report, dir.file("report.json")}}, method);
      } catch (const IoError& error) {
        message = error.what();
      }
    }
    CHECK(message == "cannot write \"" + dir.file("report.json").string() + "\": it is a folder");
    CHECK(test::readTextFile(dir.file("mix.wav")) == "previous mix");
    CHECK(test::readTextFile(dir.file("report.json/keep.txt")) == "precious");
    CHECK(entriesOf(dir.path()) == std::set<std::string>{"mix.wav", "report.json"});
  }
}

TEST_CASE("output commit: only absent targets, regular files and links can be replaced") {
  test::TempDir dir;
  fs::create_directory(dir.file("report.json"));
  std::ofstream(dir.file("mix.wav")) << "x";
  fs::create_symlink("mix.wav", dir.file("link.wav"));
  REQUIRE(::mkfifo(dir.file("pipe.wav").c_str(), 0600) == 0);
  CHECK_NOTHROW(checkReplaceable(dir.file("absent.wav")));
  CHECK_NOTHROW(checkReplaceable(dir.file("mix.wav")));
  CHECK_NOTHROW(checkReplaceable(dir.file("link.wav")));
  CHECK_THROWS_WITH_AS(checkReplaceable(dir.file("report.json")),
                       ("cannot write \"" + dir.file("report.json").string() + "\": it is a folder").c_str(), IoError);
  CHECK_THROWS_WITH_AS(checkReplaceable(dir.file("pipe.wav")),
                       ("cannot write \"" + dir.file("pipe.wav").string() + "\": it is not a regular file").c_str(), IoError);
}

}  // namespace mixdown::io
