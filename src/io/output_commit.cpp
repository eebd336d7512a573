#include "mixdown/io/output_commit.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::io {

namespace {

int renameWith(const std::filesystem::path& from, const std::filesystem::path& to, unsigned flags) {
  return ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags);
}

/** One file's move, as done, so it can be undone. */
struct Done {
  const StagedFile* staged = nullptr;
  enum class How { Created, Exchanged, RenamedAside } how = How::Created;
  std::optional<TemporaryFile> aside;  // RenamedAside: the name holding the old file
};

/** Undoes one move (best effort: a rollback that fails leaves the new file in place). */
void undo(Done& done) noexcept {
  const StagedFile& staged = *done.staged;
  switch (done.how) {
    case Done::How::Created:
      if (renameWith(staged.target, staged.file->path(), RENAME_NOREPLACE) == 0) staged.file->markRestored();
      break;
    case Done::How::Exchanged:
      renameWith(staged.file->path(), staged.target, RENAME_EXCHANGE);
      break;
    case Done::How::RenamedAside:
      if (renameWith(done.aside->path(), staged.target, 0) == 0) done.aside->markInstalled();
      break;
  }
}

IoError commitError(const StagedFile& staged, int errorNumber) {
  return ioErrorFromErrno("cannot write " + quotedPath(staged.target), errorNumber);
}

/** Moves staged into place, recording how; throws (having moved nothing) on failure. */
Done place(const StagedFile& staged, ReplaceMethod& method) {
  Done done;
  done.staged = &staged;
  struct stat status {};
  // Checked before the render (checkReplaceable), and again here: a folder made there since is refused.
  checkReplaceable(staged.target);
  if (::lstat(staged.target.c_str(), &status) != 0) {
    if (errno != ENOENT) throw commitError(staged, errno);
    if (renameWith(staged.file->path(), staged.target, RENAME_NOREPLACE) != 0) {
      // EINVAL: RENAME_NOREPLACE unsupported here; a plain rename of a name still free
      if (errno != EINVAL || ::rename(staged.file->path().c_str(), staged.target.c_str()) != 0)
        throw commitError(staged, errno);
    }
    staged.file->markInstalled();
    done.how = Done::How::Created;
    return done;
  }
  if (method == ReplaceMethod::Exchange) {
    if (renameWith(staged.file->path(), staged.target, RENAME_EXCHANGE) == 0) {
      done.how = Done::How::Exchanged;  // the temporary's name now holds the old file, removed later
      // What came out must be a file: a folder put there after the check above goes back.
      struct stat old {};
      if (::lstat(staged.file->path().c_str(), &old) == 0 && S_ISDIR(old.st_mode)) {
        renameWith(staged.file->path(), staged.target, RENAME_EXCHANGE);
        throw IoError("cannot write " + quotedPath(staged.target) + ": it is a folder");
      }
      return done;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) throw commitError(staged, errno);
    method = ReplaceMethod::RenameAside;
  }
  // The old file goes to a fresh temporary name (made, then replaced by the rename).
  TemporaryFile aside(staged.target);
  if (::rename(staged.target.c_str(), aside.path().c_str()) != 0) throw commitError(staged, errno);
  if (::rename(staged.file->path().c_str(), staged.target.c_str()) != 0) {
    const int error = errno;
    ::rename(aside.path().c_str(), staged.target.c_str());
    aside.markInstalled();
    throw commitError(staged, error);
  }
  staged.file->markInstalled();
  done.how = Done::How::RenamedAside;
  done.aside.emplace(std::move(aside));  // removed (with the old file) once every file is in
  return done;
}

}  // namespace

void checkReplaceable(const std::filesystem::path& target) {
  struct stat status {};
  if (::lstat(target.c_str(), &status) != 0) {
    if (errno == ENOENT) return;
    throw ioErrorFromErrno("cannot write " + quotedPath(target), errno);
  }
  if (S_ISDIR(status.st_mode)) throw IoError("cannot write " + quotedPath(target) + ": it is a folder");
  if (!S_ISREG(status.st_mode) && !S_ISLNK(status.st_mode))
    throw IoError("cannot write " + quotedPath(target) + ": it is not a regular file");
}

void commitStagedFiles(const std::vector<StagedFile>& files, ReplaceMethod method) {
  std::vector<Done> done;
  done.reserve(files.size());
  try {
    for (const StagedFile& staged : files) done.push_back(place(staged, method));
  } catch (...) {
    for (auto step = done.rbegin(); step != done.rend(); ++step) undo(*step);
    throw;
  }
  // Every file is in: the names that hold old files are removed with their TemporaryFile.
}

}  // namespace mixdown::io
