#include "mixdown/util/thread_pool.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include <algorithm>
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

}  // namespace

ThreadPool::ThreadPool(int threads) {
  workers_.reserve(static_cast<std::size_t>(std::max(0, threads - 1)));
  for (int index = 1; index < threads; ++index) {
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
