#pragma once
// How the process meets signals: SIGINT, SIGTERM and SIGHUP ask it to stop
// (util/cancellation.h), and so does SIGPIPE (the reader of its output went
// away: the work is stopped and undone, not left half-done by a sudden death);
// a write past the file-size limit (SIGXFSZ) fails with EFBIG instead of
// killing it. Every stop unwinds, removes its temporary files and exits with
// the shell's status for the signal, 128 + its number (130, 143, 129, 141).

namespace mixdown::cli {

/** Installs the handlers above; once, at the start of main. */
void installStopSignalHandlers();

/** 128 + signalNumber. */
int exitStatusForSignal(int signalNumber) noexcept;

}  // namespace mixdown::cli
