#pragma once
// How a render meets signals: SIGINT, SIGTERM and SIGHUP ask it to stop
// (util/cancellation.h), and so does SIGPIPE (the reader of its output went
// away: the work is stopped and undone, not left half-done by a sudden death).
// Every stop unwinds, removes its temporary files and exits with the shell's
// status for the signal, 128 + its number (130, 143, 129, 141). The commands
// that write no files keep the default actions: they die at once, leaving
// nothing behind. In every command a write past the file-size limit (SIGXFSZ)
// fails with EFBIG instead of killing the process.

namespace mixdown::cli {

/** Ignores SIGXFSZ; at the start of main. */
void ignoreFileSizeSignal();

/** Installs the stop handlers above; at the start of a render. */
void installStopSignalHandlers();

/** 128 + signalNumber. */
int exitStatusForSignal(int signalNumber) noexcept;

}  // namespace mixdown::cli
