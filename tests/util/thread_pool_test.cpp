// The thread pool: every task runs once whatever the thread count, and a pool
// the system refuses threads to (a memory limit) runs with fewer, never
// aborting or hanging.

#include "mixdown/util/thread_pool.h"

#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <vector>

namespace mixdown {

namespace {

/** Every index of a batch of count tasks ran exactly once. */
bool runsEachTaskOnce(ThreadPool& pool, int count) {
  std::vector<std::atomic<int>> runs(static_cast<std::size_t>(count));
  pool.run(count, [&](int index) { runs[static_cast<std::size_t>(index)].fetch_add(1); });
  for (const auto& run : runs)
    if (run.load() != 1) return false;
  return true;
}

}  // namespace

TEST_CASE("thread pool: every task runs once, for 1 to 8 threads") {
  for (int threads = 1; threads <= 8; ++threads) {
    ThreadPool pool(threads);
    CHECK(pool.threads() == threads);
    for (const int count : {0, 1, 2, 7, 100}) CHECK(runsEachTaskOnce(pool, count));
  }
}

#if !defined(__SANITIZE_ADDRESS__)  // ASan reserves terabytes of address space: no RLIMIT_AS under it
TEST_CASE("thread pool: under a memory limit that leaves room for a few thread stacks, it runs with those") {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // Address space in use now (pages, /proc/self/statm's first field), plus 48 MiB: about five 8 MiB stacks.
    long pages = 0;
    std::ifstream("/proc/self/statm") >> pages;
    const rlim_t limit = static_cast<rlim_t>(pages) * static_cast<rlim_t>(::sysconf(_SC_PAGESIZE)) + (48u << 20);
    const rlimit limited{limit, limit};
    if (::setrlimit(RLIMIT_AS, &limited) != 0) ::_exit(3);
    ThreadPool pool(256);
    if (pool.threads() >= 256 || pool.threads() < 1) ::_exit(4);
    ::_exit(runsEachTaskOnce(pool, 1000) ? 0 : 5);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));  // not SIGABRT
  CHECK(WEXITSTATUS(status) == 0);
}
#endif

}  // namespace mixdown
