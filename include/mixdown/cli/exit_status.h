#pragma once
// Exit statuses of CLI.md.

namespace mixdown::cli {

constexpr int kExitSuccess = 0;
constexpr int kExitFailure = 1;  // the session, an input or the render failed (diff: files differ)
constexpr int kExitUsage = 2;    // usage error (diff: the files could not be read)
constexpr int kExitTemporaryFailure = 75;  // sysexits' EX_TEMPFAIL: a retry may cure it (disk full, no memory, I/O error)
// After a signal: 128 + its number (stop_signals.h).

}  // namespace mixdown::cli
