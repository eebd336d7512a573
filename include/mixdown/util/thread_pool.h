#pragma once
// A fixed set of worker threads that runs one batch of independent tasks at a
// time and returns when all are done. Which thread runs a task never changes
// a result: tasks write only their own buffers.
//
// A render runs thousands of short batches back to back (one per pipeline
// step, a fraction of a millisecond each), so a thread that waits, for the
// next batch or for the last task of this one, first spins for a while
// (kSpinWaits pauses: tens of microseconds, about 100 where a pause is
// long) watching an atomic, and only then sleeps on a condition variable:
// waking a sleeping thread takes about as long as a small task.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mixdown {

class ThreadPool {
public:
  /**
   * Starts threads - 1 workers (the calling thread is the last); threads <= 1
   * runs every task on the calling thread. A worker the system refuses (a
   * process or memory limit) is not an error: the pool runs with the threads
   * it has, which changes no result (see threads()). Under an address-space limit (ulimit -v) it
   * starts no more workers than fit in half of it, leaving the rest to the render.
   */
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  /** The threads that run tasks: the workers started, and the calling thread. */
  int threads() const noexcept { return static_cast<int>(workers_.size()) + 1; }

  /** Runs task(0) .. task(count - 1), in parallel where possible; rethrows the first exception. */
  void run(int count, const std::function<void(int)>& task);

private:
  static constexpr int kSpinWaits = 2048;

  void work();

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int)>* task_ = nullptr;
  int count_ = 0;
  int next_ = 0;
  std::atomic<int> finished_ = 0;           // written under mutex_; read without it while spinning
  std::atomic<std::size_t> generation_ = 0;  // likewise
  std::atomic<bool> stopping_ = false;
  std::exception_ptr error_;
};

}  // namespace mixdown
