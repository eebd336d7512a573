#include "mixdown/io/file_identity.h"

#include <sys/stat.h>

#include <cerrno>

#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::io {

namespace {

std::int64_t nanoseconds(const struct timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

FileIdentity identityFrom(const struct stat& status) {
  return {static_cast<std::uintmax_t>(status.st_size), nanoseconds(status.st_mtim), nanoseconds(status.st_ctim),
          static_cast<std::uint64_t>(status.st_ino), static_cast<std::uint64_t>(status.st_dev)};
}

}  // namespace

std::optional<FileIdentity> fileIdentity(const std::filesystem::path& path, FollowLinks follow) {
  struct stat status {};
  const int result = follow == FollowLinks::Yes ? ::stat(path.c_str(), &status) : ::lstat(path.c_str(), &status);
  if (result != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
  return identityFrom(status);
}

FileIdentity fileIdentityOf(int descriptor, const std::filesystem::path& path) {
  struct stat status {};
  if (::fstat(descriptor, &status) != 0) throw ioErrorFromErrno("cannot read " + quotedPath(path), errno);
  return identityFrom(status);
}

}  // namespace mixdown::io
