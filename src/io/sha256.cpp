#include "mixdown/io/sha256.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>

#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::io {

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr || EVP_DigestInit_ex(context_, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(context_);
    throw std::runtime_error("cannot initialise SHA-256");
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(context_); }

void Sha256::update(const void* bytes, std::size_t count) {
  if (count > 0 && EVP_DigestUpdate(context_, bytes, count) != 1) throw std::runtime_error("SHA-256 update failed");
}

std::string Sha256::finishHex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_, digest, &length) != 1) throw std::runtime_error("SHA-256 final failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0F]);
  }
  return hex;
}

std::optional<FileDigest> digestOfFile(const std::filesystem::path& path, FollowLinks follow) {
  const int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow == FollowLinks::No ? O_NOFOLLOW : 0);
  const int descriptor = ::open(path.c_str(), flags);
  if (descriptor < 0) {
    if (errno == ENOENT || errno == ELOOP) return std::nullopt;
    throw ioErrorFromErrno("cannot read " + quotedPath(path), errno);
  }
  struct Closer {
    int descriptor;
    ~Closer() { ::close(descriptor); }
  } closer{descriptor};
  struct stat status {};
  if (::fstat(descriptor, &status) != 0) throw ioErrorFromErrno("cannot read " + quotedPath(path), errno);
  if (!S_ISREG(status.st_mode)) return std::nullopt;
  const FileIdentity identity = fileIdentityOf(descriptor, path);
  Sha256 hash;
  std::array<char, 1 << 16> buffer{};
  for (;;) {
    const ssize_t count = ::read(descriptor, buffer.data(), buffer.size());
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) throw ioErrorFromErrno("cannot read " + quotedPath(path), errno);
    if (count == 0) break;
    hash.update(buffer.data(), static_cast<std::size_t>(count));
  }
  return FileDigest{hash.finishHex(), identity};
}

std::optional<std::string> sha256OfFile(const std::filesystem::path& path) {
  std::optional<FileDigest> digest = digestOfFile(path, FollowLinks::No);
  if (!digest) return std::nullopt;
  return std::move(digest->sha256);
}

}  // namespace mixdown::io
