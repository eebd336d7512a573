#include "mixdown/util/thread_pool.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <system_error>

namespace mixdown {

namespace {

/** Spins up to `waits` short pauses until done() holds; whether it did. */
template <typename Done>
bool spinUntil(int waits, Done done) {
  for (int wait = 0; wait < waits; ++wait) {
    if (done()) return true;
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
  }
  return done();
}

/**
 * Workers whose stacks fit in half of the process's address-space limit (ulimit -v), at least one:
 * starting threads until the system refuses one would leave no memory for the render itself. A
 * thread's stack is RLIMIT_STACK's soft limit (glibc's default for new threads), 8 MiB if unlimited.
 */
int workersTheAddressSpaceAllows(int workers) {
  rlimit addressSpace{};
  if (getrlimit(RLIMIT_AS, &addressSpace) != 0 || addressSpace.rlim_cur == RLIM_INFINITY) return workers;
  constexpr std::uint64_t kUnlimitedStackBytes = 8u << 20;
  rlimit stack{};
  const std::uint64_t stackBytes = getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur != RLIM_INFINITY
                                       ? std::max<std::uint64_t>(stack.rlim_cur, 1u << 16)
                                       : kUnlimitedStackBytes;
  const std::uint64_t fitting = static_cast<std::uint64_t>(addressSpace.rlim_cur) / 2 / stackBytes;
  return static_cast<int>(std::clamp<std::uint64_t>(fitting, 1, static_cast<std::uint64_t>(std::max(workers, 1))));
}

}  // namespace

ThreadPool::ThreadPool(int threads) {
  const int workers = threads > 1 ? workersTheAddressSpaceAllows(threads - 1) : 0;
  workers_.reserve(static_cast<std::size_t>(workers));
  for (int index = 0; index < workers; ++index) {
    try {
      workers_.emplace_back([this] { work(); });
    } catch (const std::system_error&) {
      break;  // EAGAIN: no more threads for this process; run with those started
    }
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void ThreadPool::run(int count, const std::function<void(int)>& task) {
  if (workers_.empty() || count <= 1) {
    for (int index = 0; index < count; ++index) task(index);
    return;
  }
  std::unique_lock lock(mutex_);
  task_ = &task;
  count_ = count;
  next_ = 0;
  finished_ = 0;
  error_ = nullptr;
  ++generation_;
  wake_.notify_all();
  // The calling thread works too.
  while (next_ < count_) {
    const int index = next_++;
    lock.unlock();
    try {
      task(index);
    } catch (...) {
      std::lock_guard errorLock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
    lock.lock();
    ++finished_;
  }
  if (finished_ != count_) {
    lock.unlock();
    spinUntil(kSpinWaits, [this] { return finished_.load(std::memory_order_acquire) == count_; });
    lock.lock();
    done_.wait(lock, [this] { return finished_ == count_; });
  }
  task_ = nullptr;
  if (error_) std::rethrow_exception(error_);
}

void ThreadPool::work() {
  std::size_t seenGeneration = 0;
  std::unique_lock lock(mutex_);
  while (true) {
    lock.unlock();
    spinUntil(kSpinWaits, [&] { return stopping_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seenGeneration; });
    lock.lock();
    wake_.wait(lock, [&] { return stopping_ || (generation_ != seenGeneration && task_ && next_ < count_); });
    if (stopping_) return;
    seenGeneration = generation_;
    while (task_ && next_ < count_) {
      const int index = next_++;
      const auto* task = task_;
      lock.unlock();
      try {
        (*task)(index);
      } catch (...) {
        std::lock_guard errorLock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
      lock.lock();
      if (++finished_ == count_) done_.notify_all();
    }
  }
}

}  // namespace mixdown
