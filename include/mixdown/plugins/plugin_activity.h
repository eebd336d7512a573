#pragma once
// Which plugin call each thread of a render is inside, kept in memory that a
// supervising parent process shares (mmap MAP_SHARED, made before fork), so
// that when the render's child process crashes or hangs the parent can name
// the plugin inserts that were running and for how long. A call is recorded
// by a PluginCall on the stack: the insert's label copied into the thread's
// slot when it changes, and the call's start on the monotonic clock; no
// allocation, no lock, no system call but the vDSO clock. Without a shared
// table (no supervision: unit tests, renders without plugins) nothing is
// recorded.

#include <string>
#include <vector>

namespace mixdown::plugins {

/** A plugin call in progress: its insert ("/tracks/0/inserts/1 (LSP Limiter Mono)") and how long it has run. */
struct BusyPluginCall {
  std::string insert;
  double seconds = 0.0;
};

/** Makes the shared table (once per process, before the first fork) and empties it; later calls only empty it. */
void shareActivityTable();

/** The calls in progress, by anyone sharing the table (empty without one). */
std::vector<BusyPluginCall> busyPluginCalls();

class PluginCall {
public:
  /** Records that this thread runs insert's plugin (label must outlive the call: the processor's own string). */
  explicit PluginCall(const std::string& label) noexcept;
  ~PluginCall();
  PluginCall(const PluginCall&) = delete;
  PluginCall& operator=(const PluginCall&) = delete;

private:
  int slot_ = -1;
};

}  // namespace mixdown::plugins
