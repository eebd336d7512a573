#include "mixdown/analysis/compare_folders.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <system_error>

#include "mixdown/io/output_record_name.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::analysis {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kByteChunk = 64 * 1024;

std::set<std::string> relativeFilePaths(const fs::path& folder) {
  std::set<std::string> paths;
  std::error_code error;
  fs::recursive_directory_iterator entries(folder, error);
  for (; !error && entries != fs::recursive_directory_iterator(); entries.increment(error)) {
    std::error_code statusError;
    if (entries->is_regular_file(statusError) && entries->path().filename() != io::kOutputRecordName)
      paths.insert(entries->path().lexically_relative(folder).generic_string());
  }
  if (error) throw IoError("cannot list " + io::quotedPath(folder) + ": " + error.message());
  return paths;
}

std::ifstream openBytes(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw IoError("cannot open " + io::quotedPath(path) + " to compare its bytes");
  return stream;
}

/** Reads up to kByteChunk bytes; returns how many. */
std::size_t readChunk(std::ifstream& stream, std::vector<char>& chunk, const fs::path& path) {
  stream.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  if (stream.bad()) throw IoError("cannot read " + io::quotedPath(path));
  return static_cast<std::size_t>(stream.gcount());
}

}  // namespace

bool hasAudioExtension(const fs::path& path) {
  static const std::set<std::string> kAudioExtensions = {".wav",  ".wave", ".flac", ".aif",  ".aiff",
                                                         ".aifc", ".ogg",  ".oga",  ".opus", ".mp3",
                                                         ".w64",  ".rf64", ".caf",  ".au",   ".snd"};
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char letter) { return static_cast<char>(std::tolower(letter)); });
  return kAudioExtensions.contains(extension);
}

std::vector<FolderEntry> pairFolderFiles(const fs::path& folderA, const fs::path& folderB) {
  const std::set<std::string> inA = relativeFilePaths(folderA);
  const std::set<std::string> inB = relativeFilePaths(folderB);
  std::set<std::string> all = inA;
  all.insert(inB.begin(), inB.end());
  std::vector<FolderEntry> entries;
  for (const std::string& relative : all) {
    FolderEntryKind kind = FolderEntryKind::Bytes;
    if (!inB.contains(relative))
      kind = FolderEntryKind::OnlyInA;
    else if (!inA.contains(relative))
      kind = FolderEntryKind::OnlyInB;
    else if (hasAudioExtension(relative))
      kind = FolderEntryKind::Audio;
    entries.push_back(FolderEntry{relative, kind});
  }
  return entries;
}

bool sameBytes(const fs::path& pathA, const fs::path& pathB) {
  std::ifstream streamA = openBytes(pathA);
  std::ifstream streamB = openBytes(pathB);
  std::vector<char> chunkA(kByteChunk);
  std::vector<char> chunkB(kByteChunk);
  for (;;) {
    const std::size_t readA = readChunk(streamA, chunkA, pathA);
    const std::size_t readB = readChunk(streamB, chunkB, pathB);
    if (readA != readB ||
        !std::equal(chunkA.begin(), chunkA.begin() + static_cast<std::ptrdiff_t>(readA), chunkB.begin()))
      return false;
    if (readA < kByteChunk) return true;
  }
}

}  // namespace mixdown::analysis
