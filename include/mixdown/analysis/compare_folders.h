#pragma once
// Pairs the files of two folders for `mixdown diff A B` on render folders:
// every regular file under either folder, matched by its path relative to the
// folder, in sorted order. Audio files (by extension) are compared as audio,
// everything else (report.json, ...) byte for byte.

#include <filesystem>
#include <string>
#include <vector>

namespace mixdown::analysis {

enum class FolderEntryKind {
  Audio,  // in both folders, an audio extension: compareAudioFiles
  Bytes,  // in both folders, any other file: sameBytes
  OnlyInA,
  OnlyInB,
};

struct FolderEntry {
  std::string relativePath;  // generic form ('/'), e.g. "stems/lead.wav"
  FolderEntryKind kind = FolderEntryKind::Bytes;
};

/**
 * Whether a name has an audio extension (case-insensitive): the containers
 * libsndfile reads by header, .wav .wave .flac .aif .aiff .aifc .ogg .oga .opus
 * .mp3 .w64 .rf64 .caf .au .snd.
 */
bool hasAudioExtension(const std::filesystem::path& path);

/**
 * Every regular file under folderA or folderB (recursively; symbolic links to
 * files count as files, links to folders are not entered), sorted by relative
 * path. Throws IoError when a folder cannot be listed.
 */
std::vector<FolderEntry> pairFolderFiles(const std::filesystem::path& folderA, const std::filesystem::path& folderB);

/** Whether two files hold the same bytes, read in chunks. Throws IoError naming a file that cannot be read. */
bool sameBytes(const std::filesystem::path& pathA, const std::filesystem::path& pathB);

}  // namespace mixdown::analysis
