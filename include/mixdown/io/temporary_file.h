#pragma once
// A new file that will become an output: created beside its target under a
// name nobody can predict (".<target's name><tag>.<16 random hex digits>.mixdown-tmp"),
// with O_CREAT | O_EXCL | O_NOFOLLOW, so a planted file or symbolic link is
// never opened, truncated or written through. Everything after creation goes
// through the open descriptor (or reopenPath(), the same file whatever happens
// to its name). Removed on destruction unless it was put in place
// (output_commit.h). A render killed by SIGKILL leaves it; the next render into
// the folder, holding the folder's lock, removes it (removeAbandonedTemporaries).

#include <filesystem>
#include <string>

namespace mixdown::io {

class TemporaryFile {
public:
  /**
   * Creates an empty file in target's folder, named after target (and tag,
   * ".master" say, for a file that is not the target's content), readable and
   * writable (0666 less the umask, as the final file would be). Throws IoError
   * naming target.
   */
  explicit TemporaryFile(const std::filesystem::path& target, const std::string& tag = {});
  TemporaryFile(TemporaryFile&& other) noexcept;
  TemporaryFile& operator=(TemporaryFile&& other) noexcept;
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile();  // closes, and removes the name unless put in place

  int descriptor() const noexcept { return descriptor_; }
  /** The name in the folder (what rename() moves). */
  const std::filesystem::path& path() const noexcept { return path_; }
  /** "/proc/self/fd/N": opens this very file, even if its name was replaced since. */
  std::filesystem::path reopenPath() const;

  /** Marks the name as moved away (to its target): destruction leaves it alone. */
  void markInstalled() noexcept { installed_ = true; }
  /** Marks the name as holding this file again (a commit rolled back). */
  void markRestored() noexcept { installed_ = false; }

private:
  void release() noexcept;

  std::filesystem::path path_;
  int descriptor_ = -1;
  bool installed_ = false;
};

/** Whether name is one TemporaryFile makes: ".<name>.<16 hex digits>.mixdown-tmp". */
bool isTemporaryFileName(const std::string& name);

/**
 * Removes, from folder, the temporaries an earlier render left when it was
 * killed: regular files (never links) owned by this user whose names are
 * TemporaryFile names. Call only while holding the folder's lock (folder_lock.h),
 * so no live render's temporaries are among them. Returns how many it removed.
 */
int removeAbandonedTemporaries(const std::filesystem::path& folder);

}  // namespace mixdown::io
