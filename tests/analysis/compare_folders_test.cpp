// pairFolderFiles and sameBytes: the files of two folders matched by relative
// path (one-sided files named, audio told from other files by extension), and
// byte comparison across chunk boundaries.

#include "mixdown/analysis/compare_folders.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/cli_fixtures.h"
#include "support/temp_dir.h"

using namespace mixdown::analysis;
using namespace mixdown::test;

namespace {

std::vector<std::string> describe(const std::vector<FolderEntry>& entries) {
  std::vector<std::string> lines;
  for (const auto& entry : entries) {
    const char* kind = entry.kind == FolderEntryKind::Audio     ? "audio"
                       : entry.kind == FolderEntryKind::Bytes   ? "bytes"
                       : entry.kind == FolderEntryKind::OnlyInA ? "only in a"
                                                                : "only in b";
    lines.push_back(entry.relativePath + ": " + kind);
  }
  return lines;
}

}  // namespace

TEST_CASE("compare folders: files are paired by relative path, sorted, one-sided ones named") {
  TempDir root;
  for (const char* name : {"a/mix.wav", "a/report.json", "a/stems/lead.WAV", "a/stems/old.flac", "a/deep/x/y.txt",
                           "b/mix.wav", "b/report.json", "b/stems/lead.WAV", "b/stems/new.aiff", "b/deep/x/y.txt"})
    writeTextFile(root.file(name), "content");
  std::filesystem::create_directories(root.file("b/empty_folder"));

  const std::vector<std::string> expected = {"deep/x/y.txt: bytes",       "mix.wav: audio",
                                             "report.json: bytes",        "stems/lead.WAV: audio",
                                             "stems/new.aiff: only in b", "stems/old.flac: only in a"};
  CHECK(describe(pairFolderFiles(root.file("a"), root.file("b"))) == expected);
  // A trailing separator names the same folder.
  CHECK(describe(pairFolderFiles(root.path().string() + "/a/", root.file("b"))) == expected);
}

TEST_CASE("compare folders: audio extensions are the containers libsndfile reads, in any case") {
  for (const char* name : {"x.wav", "x.WAV", "x.flac", "x.aif", "x.aiff", "x.ogg", "x.mp3", "x.w64", "x.rf64", "x.caf"})
    CHECK_MESSAGE(hasAudioExtension(name), name);
  for (const char* name : {"report.json", "x.txt", "wav", "x.wav.bak", "x"})
    CHECK_MESSAGE(!hasAudioExtension(name), name);
}

TEST_CASE("compare folders: sameBytes compares every byte, across 64 KiB chunks") {
  TempDir folder;
  const std::string large(200 * 1024 + 17, 'x');  // three whole chunks and part of a fourth
  std::string lastByteChanged = large;
  lastByteChanged.back() = 'y';
  writeTextFile(folder.file("large"), large);
  writeTextFile(folder.file("large_copy"), large);
  writeTextFile(folder.file("last_byte_changed"), lastByteChanged);
  writeTextFile(folder.file("one_byte_longer"), large + "x");
  writeTextFile(folder.file("empty"), "");
  writeTextFile(folder.file("empty_copy"), "");

  CHECK(sameBytes(folder.file("large"), folder.file("large_copy")));
  CHECK_FALSE(sameBytes(folder.file("large"), folder.file("last_byte_changed")));
  CHECK_FALSE(sameBytes(folder.file("large"), folder.file("one_byte_longer")));
  CHECK_FALSE(sameBytes(folder.file("one_byte_longer"), folder.file("large")));
  CHECK(sameBytes(folder.file("empty"), folder.file("empty_copy")));
  CHECK_FALSE(sameBytes(folder.file("empty"), folder.file("large")));
}
