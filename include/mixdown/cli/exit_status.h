#pragma once
// Exit statuses of CLI.md.

namespace mixdown::cli {

constexpr int kExitSuccess = 0;
constexpr int kExitFailure = 1;  // the session, an input or the render failed (diff: files differ)
constexpr int kExitUsage = 2;    // usage error (diff: the files could not be read)

}  // namespace mixdown::cli
