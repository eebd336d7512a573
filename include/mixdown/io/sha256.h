#pragma once
// Incremental SHA-256 (OpenSSL EVP), for the audio_sha256 of written outputs,
// and the SHA-256 of a whole file (the output manifest's record of what it wrote).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "mixdown/io/file_identity.h"

struct evp_md_ctx_st;

namespace mixdown::io {

class Sha256 {
public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* bytes, std::size_t count);
  /** Lowercase hex of the digest; ends the computation (update() must not follow). */
  std::string finishHex();

private:
  evp_md_ctx_st* context_ = nullptr;
};

struct FileDigest {
  std::string sha256;     // lowercase hex, of the whole file
  FileIdentity identity;  // of the file read, taken before reading it
};

/**
 * The SHA-256 of the whole file at path (a symbolic link followed only with
 * FollowLinks::Yes); none if it is missing, a link not followed or not a
 * regular file. Throws IoError naming path if it cannot be read.
 */
std::optional<FileDigest> digestOfFile(const std::filesystem::path& path, FollowLinks follow);

/** digestOfFile's hash, never following a link. */
std::optional<std::string> sha256OfFile(const std::filesystem::path& path);

}  // namespace mixdown::io
