#pragma once
// An output folder held by one render at a time: flock(2) on ".mixdown.lock"
// in the folder, opened with O_NOFOLLOW. A second render into the folder waits
// until the first has committed or rolled back, so a report always describes
// the files beside it. The lock dies with its process (even by SIGKILL), so a
// crashed render never blocks the next; the lock file is removed on release,
// and a waiter that locked a removed file tries again.

#include <filesystem>
#include <functional>

namespace mixdown::io {

class FolderLock {
public:
  /**
   * Takes the lock on folder (which must exist). While another process holds
   * it, calls onWait once and polls, calling throwIfCancelled() between polls,
   * so SIGINT or SIGTERM end the wait. Throws IoError naming the folder.
   */
  FolderLock(const std::filesystem::path& folder, const std::function<void()>& onWait);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

private:
  std::filesystem::path path_;
  int descriptor_ = -1;
};

}  // namespace mixdown::io
