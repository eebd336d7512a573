#include "mixdown/cli/stop_signals.h"

#include <csignal>

#include "mixdown/util/cancellation.h"

namespace mixdown::cli {

namespace {

extern "C" void onStopSignal(int signalNumber) { requestCancellation(signalNumber); }

void handle(int signalNumber, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // blocking calls go on; every long phase polls the request
  sigaction(signalNumber, &action, nullptr);
}

}  // namespace

void ignoreFileSizeSignal() { handle(SIGXFSZ, SIG_IGN); }

void installStopSignalHandlers() {
  for (const int signalNumber : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) handle(signalNumber, onStopSignal);
}

int exitStatusForSignal(int signalNumber) noexcept { return 128 + signalNumber; }

}  // namespace mixdown::cli
