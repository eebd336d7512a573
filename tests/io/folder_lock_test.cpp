// The output folder's lock: one holder at a time (between processes, as flock
// works), a waiter that ends on a stop request, nothing left on release.

#include "mixdown/io/folder_lock.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "mixdown/util/cancellation.h"
#include "mixdown/util/error.h"
#include "support/temp_dir.h"

namespace mixdown::io {

TEST_CASE("folder lock: a second holder waits until the first releases, and the lock file goes with the last") {
  test::TempDir dir;
  int waits = 0;
  int pipeEnds[2];
  REQUIRE(::pipe(pipeEnds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child holds the lock for 300 ms, says it is about to release it, then releases it.
    {
      FolderLock held(dir.path(), {});
      const char ready = 'r';
      (void)::write(pipeEnds[1], &ready, 1);
      ::usleep(300000);
      const char releasing = 'd';
      (void)::write(pipeEnds[1], &releasing, 1);
    }
    ::_exit(0);
  }
  char ready = 0;
  REQUIRE(::read(pipeEnds[0], &ready, 1) == 1);
  CHECK(std::filesystem::exists(dir.file(".mixdown.lock")));
  {
    FolderLock second(dir.path(), [&] { ++waits; });
    CHECK(waits == 1);  // it had to wait, and said so once
    // The child wrote 'd' before it released: if the lock came only after the release, the byte is
    // there now (the pipe is read without blocking; the child may not have exited yet).
    REQUIRE(::fcntl(pipeEnds[0], F_SETFL, O_NONBLOCK) == 0);
    char releasing = 0;
    CHECK(::read(pipeEnds[0], &releasing, 1) == 1);
    CHECK(releasing == 'd');
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(dir.entries().empty());
  ::close(pipeEnds[0]);
  ::close(pipeEnds[1]);
}

TEST_CASE("folder lock: a stop request ends the wait with Cancelled") {
  test::TempDir dir;
  FolderLock held(dir.path(), {});
  // flock locks belong to the open file: a second open in this process waits like another process.
  bool waited = false;
  CHECK_THROWS_AS(FolderLock(dir.path(),
                             [&] {
                               waited = true;
                               requestCancellation(SIGTERM);
                             }),
                  Cancelled);
  clearCancellation();
  CHECK(waited);
}

TEST_CASE("folder lock: a planted link at the lock's name is refused, not followed") {
  test::TempDir dir;
  std::filesystem::create_symlink("/etc/passwd", dir.file(".mixdown.lock"));
  CHECK_THROWS_AS(FolderLock(dir.path(), {}), IoError);
  CHECK(std::filesystem::is_symlink(dir.file(".mixdown.lock")));
}

}  // namespace mixdown::io
