#pragma once
// Work that runs LV2 plugins, in a child process watched for them
// (util/child_process.h, plugins/plugin_activity.h): a plugin call that runs
// longer than the timeout is killed and named; a stop signal is passed on,
// and a child stuck in a plugin is killed kStopGraceS later; when the child
// dies, the plugin calls that were running say which plugin it died in.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mixdown/plugins/plugin_activity.h"
#include "mixdown/util/child_process.h"

namespace mixdown::plugins {

/** Seconds a child may take to stop after SIGINT or SIGTERM was passed on to it, before it is killed. */
inline constexpr double kStopGraceS = 5.0;

struct WatchedEnd {
  ChildEnd end;
  std::optional<BusyPluginCall> hung;  // the call killed for running longer than the timeout
  std::vector<BusyPluginCall> running;  // the calls in progress when the child ended (where it crashed)
};

/** Runs work in a child as runInChild does, watching its plugin calls as above. */
WatchedEnd runWatchingPlugins(const std::function<int(std::string& payload)>& work, double pluginTimeoutS);

/** How a child ended: "signal 11, Segmentation fault", or "exit status 1 without its outcome". */
std::string howItEnded(const ChildEnd& end);

}  // namespace mixdown::plugins
