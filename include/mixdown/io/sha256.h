#pragma once
// Incremental SHA-256 (OpenSSL EVP), for the audio_sha256 of written outputs.

#include <cstddef>
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

}  // namespace mixdown::io
