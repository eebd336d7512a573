#pragma once
// A file's identity as stat(2) reports it: what make and git trust to say a
// file is unchanged without reading it. The up-to-date check of a render
// (render/input_digests.h, render/output_manifest.h) reads a file again only
// when its identity changed since it was recorded.

#include <cstdint>
#include <filesystem>
#include <optional>

namespace mixdown::io {

struct FileIdentity {
  std::uintmax_t sizeBytes = 0;
  std::int64_t mtimeNs = 0;  // last content change
  std::int64_t ctimeNs = 0;  // last change of content or metadata (a touch, a rename); cannot be set back
  std::uint64_t inode = 0;
  std::uint64_t device = 0;

  bool operator==(const FileIdentity&) const = default;
};

enum class FollowLinks { No, Yes };

/** path's identity; none if it is missing, not a regular file, or (FollowLinks::No) a symbolic link. */
std::optional<FileIdentity> fileIdentity(const std::filesystem::path& path, FollowLinks follow);

/** The identity of an open descriptor's file. Throws IoError naming path if fstat fails. */
FileIdentity fileIdentityOf(int descriptor, const std::filesystem::path& path);

}  // namespace mixdown::io
