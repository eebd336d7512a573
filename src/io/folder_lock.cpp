#include "mixdown/io/folder_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "mixdown/io/sound_file.h"
#include "mixdown/util/cancellation.h"
#include "mixdown/util/error.h"

namespace mixdown::io {

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);

/** Whether descriptor is still the file at path (not one a releasing render removed). */
bool stillNamed(int descriptor, const std::filesystem::path& path) {
  struct stat opened {};
  struct stat named {};
  if (::fstat(descriptor, &opened) != 0 || ::lstat(path.c_str(), &named) != 0) return false;
  return opened.st_dev == named.st_dev && opened.st_ino == named.st_ino;
}

}  // namespace

FolderLock::FolderLock(const std::filesystem::path& folder, const std::function<void()>& onWait)
    : path_(folder / ".mixdown.lock") {
  bool waited = false;
  for (;;) {
    const int descriptor = ::open(path_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (descriptor < 0) throw ioErrorFromErrno("cannot lock the output folder " + quotedPath(folder), errno);
    if (::flock(descriptor, LOCK_EX | LOCK_NB) == 0) {
      if (stillNamed(descriptor, path_)) {
        descriptor_ = descriptor;
        return;
      }
      ::close(descriptor);  // the holder removed that file as it released it: lock the new one
      continue;
    }
    const int lockError = errno;
    ::close(descriptor);
    if (lockError != EWOULDBLOCK && lockError != EINTR)
      throw ioErrorFromErrno("cannot lock the output folder " + quotedPath(folder), lockError);
    if (!waited && onWait) onWait();
    waited = true;
    throwIfCancelled();
    std::this_thread::sleep_for(kPollInterval);
    throwIfCancelled();
  }
}

FolderLock::~FolderLock() {
  // Removed while still held: a waiter that opened it finds it unnamed and opens the next one.
  ::unlink(path_.c_str());
  ::close(descriptor_);
}

}  // namespace mixdown::io
