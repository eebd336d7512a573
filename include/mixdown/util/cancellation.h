#pragma once
// The process's request to stop: set from a signal handler (SIGINT, SIGTERM,
// SIGHUP, SIGPIPE), read by every long phase (loading sources, each render
// block, the normalisation passes, waiting for a locked folder), which throws
// Cancelled so everything unwinds and removes its temporary files. Process-wide
// because signals are.

#include <stdexcept>

namespace mixdown {

/** Thrown by throwIfCancelled(); what() names the signal ("interrupted (SIGINT)"). */
class Cancelled : public std::runtime_error {
public:
  explicit Cancelled(int signalNumber);
  int signalNumber() const noexcept { return signalNumber_; }

private:
  int signalNumber_;
};

/** Records a request to stop; async-signal-safe. The first signal is kept. */
void requestCancellation(int signalNumber) noexcept;

/** The signal that asked to stop, 0 if none. */
int cancellationSignal() noexcept;

/** Throws Cancelled if a stop was requested. */
void throwIfCancelled();

/** Forgets a request (tests that cancel in-process). */
void clearCancellation() noexcept;

/** "SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE", or "a signal" for any other. */
const char* signalName(int signalNumber) noexcept;

}  // namespace mixdown
