#include "mixdown/util/cancellation.h"

#include <atomic>
#include <csignal>
#include <string>

namespace mixdown {

namespace {

std::atomic<int> gSignal{0};
static_assert(std::atomic<int>::is_always_lock_free, "set from a signal handler");

std::string describe(int signalNumber) {
  const std::string name = signalName(signalNumber);
  if (signalNumber == SIGPIPE) return "stopped: the reader of its output went away (" + name + ")";
  return "interrupted (" + name + ")";
}

}  // namespace

Cancelled::Cancelled(int signalNumber) : std::runtime_error(describe(signalNumber)), signalNumber_(signalNumber) {}

void requestCancellation(int signalNumber) noexcept {
  int none = 0;
  gSignal.compare_exchange_strong(none, signalNumber);
}

int cancellationSignal() noexcept { return gSignal.load(); }

void throwIfCancelled() {
  if (const int signalNumber = gSignal.load(std::memory_order_relaxed); signalNumber != 0) throw Cancelled(signalNumber);
}

void clearCancellation() noexcept { gSignal.store(0); }

const char* signalName(int signalNumber) noexcept {
  switch (signalNumber) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    case SIGPIPE:
      return "SIGPIPE";
    default:
      return "a signal";
  }
}

}  // namespace mixdown
