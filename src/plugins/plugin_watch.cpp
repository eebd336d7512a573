#include "mixdown/plugins/plugin_watch.h"

#include <signal.h>
#include <string.h>

#include <chrono>

#include "mixdown/util/cancellation.h"

namespace mixdown::plugins {

WatchedEnd runWatchingPlugins(const std::function<int(std::string& payload)>& work, double pluginTimeoutS) {
  shareActivityTable();
  WatchedEnd watched;
  std::optional<std::chrono::steady_clock::time_point> stopAsked;
  watched.end = runInChild(work, [&watched, &stopAsked, pluginTimeoutS](pid_t child) {
    if (cancellationSignal() != 0) {  // passed on to the child; one stuck in a plugin cannot act on it
      const auto now = std::chrono::steady_clock::now();
      if (!stopAsked) stopAsked = now;
      if (std::chrono::duration<double>(now - *stopAsked).count() > kStopGraceS) kill(child, SIGKILL);
      return;
    }
    if (watched.hung) return;
    for (const BusyPluginCall& call : busyPluginCalls())
      if (call.seconds > pluginTimeoutS) {
        watched.hung = call;
        kill(child, SIGKILL);
        return;
      }
  });
  watched.running = busyPluginCalls();
  return watched;
}

std::string howItEnded(const ChildEnd& end) {
  if (end.signal != 0) return "signal " + std::to_string(end.signal) + ", " + strsignal(end.signal);
  return "exit status " + std::to_string(end.exitStatus) + " without its outcome";
}

}  // namespace mixdown::plugins
