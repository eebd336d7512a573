#pragma once
// Incremental SHA-256 (OpenSSL EVP), for the audio_sha256 of written outputs,
// and the SHA-256 of a whole file (the output manifest's record of what it wrote).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

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

/**
 * Lowercase hex SHA-256 of the whole file at path, opened without following
 * a symbolic link; none if it is missing, a link or not a regular file.
 * Throws IoError naming path if it cannot be read.
 */
std::optional<std::string> sha256OfFile(const std::filesystem::path& path);

}  // namespace mixdown::io
