#pragma once
// `mixdown plugins [URI] [--json] [--hostable]`: the installed LV2 plugins
// (from LV2_PATH, else lilv's default path), read from their descriptions
// only (no binary is loaded): name, URI, audio ports, whether a latency is
// reported, whether mixdown can host each and why not; with a URI, its
// control ports (symbol, unit, range, default), presets and the insert a
// session writes to use it.

#include <string>

#include "mixdown/cli/command.h"

namespace mixdown::cli {

struct PluginsCommandOptions {
  std::string uri;      // "" lists every plugin
  bool json = false;    // JSON on stdout instead of text
  bool hostable = false;  // the list only: only the plugins mixdown can host
};

int runPlugins(const PluginsCommandOptions& options);

/** Adds `plugins` and its flags to app. */
RegisteredCommand registerPluginsCommand(CLI::App& app);

}  // namespace mixdown::cli
