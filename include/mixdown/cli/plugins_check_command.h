#pragma once
// `mixdown plugins check URI... [--json] [--plugin-timeout-s S]`: each
// plugin run alone in a watched child process (plugins/plugin_exercise.h,
// plugins/plugin_watch.h) and said safe or not: a crash (the signal), a
// call that does not return within the timeout, output that is not finite,
// a latency that changes while it runs; or why it cannot be hosted. Exit 0
// when every plugin is safe, else 1.

#include <string>
#include <vector>

#include "mixdown/cli/command.h"

namespace mixdown::cli {

struct PluginsCheckOptions {
  std::vector<std::string> uris;
  bool json = false;
  double pluginTimeoutS = 30.0;
};

int runPluginsCheck(const PluginsCheckOptions& options);

/** Adds `check` and its flags under the plugins command. */
RegisteredCommand registerPluginsCheckCommand(CLI::App& plugins);

}  // namespace mixdown::cli
