// Temporary files: fresh unpredictable names, never opened through a planted
// link or over an existing file, reached through their descriptor, removed
// unless put in place; abandoned ones removed only when provably ours.

#include "mixdown/io/temporary_file.h"

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

}  // namespace

TEST_CASE("temporary file: a fresh hidden name beside the target, removed on destruction") {
  test::TempDir dir;
  std::set<std::string> names;
  {
    TemporaryFile first(dir.file("mix.wav"));
    TemporaryFile second(dir.file("mix.wav"));
    TemporaryFile tagged(dir.file("mix.wav"), ".master");
    for (const TemporaryFile* file : {&first, &second, &tagged}) {
      CHECK(file->path().parent_path() == dir.path());
      CHECK(isTemporaryFileName(file->path().filename().string()));
      names.insert(file->path().filename().string());
    }
    CHECK(names.size() == 3);  // two files for one target never share a name
    CHECK(tagged.path().filename().string().rfind(".mix.wav.master.", 0) == 0);
    CHECK(dir.entries() == names);
  }
  CHECK(dir.entries().empty());
}

TEST_CASE("temporary file: its descriptor and reopenPath reach the file even after its name is replaced") {
  test::TempDir dir;
  TemporaryFile file(dir.file("mix.wav"));
  REQUIRE(::write(file.descriptor(), "ours", 4) == 4);
  const fs::path originalName = file.path();
  // Someone moves the file away and plants a link to another file at its name.
  std::ofstream(dir.file("victim.wav")) << "victim";
  fs::rename(originalName, dir.file("moved"));
  fs::create_symlink("victim.wav", originalName);
  {
    std::fstream reopened(file.reopenPath(), std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(reopened);
    reopened.seekp(0);
    reopened << "OURS";
  }
  CHECK(test::readTextFile(dir.file("moved")) == "OURS");
  CHECK(test::readTextFile(dir.file("victim.wav")) == "victim");
}

TEST_CASE("temporary file: names match exactly the pattern it makes") {
  CHECK(isTemporaryFileName(".mix.wav.0123456789abcdef.mixdown-tmp"));
  CHECK(isTemporaryFileName(".a.ffffffffffffffff.mixdown-tmp"));
  CHECK_FALSE(isTemporaryFileName("mix.wav.0123456789abcdef.mixdown-tmp"));    // not hidden
  CHECK_FALSE(isTemporaryFileName("..0123456789abcdef.mixdown-tmp"));          // no target name
  CHECK_FALSE(isTemporaryFileName(".mix.wav.0123456789ABCDEF.mixdown-tmp"));   // upper case
  CHECK_FALSE(isTemporaryFileName(".mix.wav.0123456789abcde.mixdown-tmp"));    // 15 digits
  CHECK_FALSE(isTemporaryFileName(".mix.wav.0123456789abcdefa.mixdown-tmp"));  // 17 digits
  CHECK_FALSE(isTemporaryFileName(".mix.wav.mixdown-partial"));
  CHECK_FALSE(isTemporaryFileName(".mix.wav.0123456789abcdef.mixdown-tmp2"));
}

TEST_CASE("temporary file: abandoned temporaries are removed, links and other files are not") {
  test::TempDir dir;
  std::ofstream(dir.file(".mix.wav.0123456789abcdef.mixdown-tmp")) << "left by a killed render";
  std::ofstream(dir.file("keep.wav")) << "input";
  std::ofstream(dir.file(".mix.wav.mixdown-partial")) << "not our pattern";
  fs::create_symlink("keep.wav", dir.file(".link.wav.fedcba9876543210.mixdown-tmp"));
  fs::create_directory(dir.file(".dir.wav.00000000000000aa.mixdown-tmp"));
  CHECK(removeAbandonedTemporaries(dir.path()) == 1);
  CHECK(dir.entries() == std::set<std::string>{"keep.wav", ".mix.wav.mixdown-partial", ".link.wav.fedcba9876543210.mixdown-tmp",
                                               ".dir.wav.00000000000000aa.mixdown-tmp"});
  CHECK(test::readTextFile(dir.file("keep.wav")) == "input");
}

TEST_CASE("temporary file: a folder that does not exist or cannot be written is an IoError naming the target") {
  test::TempDir dir;
  const std::string expected = "cannot write \"" + dir.file("missing/mix.wav").string() + "\": no such file or directory";
  CHECK_THROWS_WITH_AS(TemporaryFile(dir.file("missing/mix.wav")), expected.c_str(), IoError);
}

}  // namespace mixdown::io
