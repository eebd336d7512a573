#pragma once
// Running work in a forked child process that the parent watches: what the
// work sends back (a string, through a pipe the parent drains as it waits, so
// a large payload never blocks the child), its exit status or the signal that
// ended it. While it runs the parent calls watch about every 100 ms (to kill
// a child that hangs, say) and passes a stop signal it received
// (util/cancellation.h) on to the child. Fork before any thread is started:
// the child has only the forking thread.

#include <sys/types.h>

#include <functional>
#include <string>

namespace mixdown {

struct ChildEnd {
  int exitStatus = -1;  // the child's exit status when it exited, else -1
  int signal = 0;       // the signal that ended it, else 0
  std::string payload;  // what the work sent
};

/**
 * Runs work(payload) in a child process, which exits with work's return value
 * after sending payload (flushing the standard streams first, and running no
 * exit handler of the parent's); an exception from work exits 70 with nothing
 * sent. Throws std::system_error when no child can be made.
 */
ChildEnd runInChild(const std::function<int(std::string& payload)>& work, const std::function<void(pid_t child)>& watch);

}  // namespace mixdown
