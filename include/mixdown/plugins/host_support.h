#pragma once
// What this host provides to LV2 plugins, and whether a plugin can run in it
// offline: every required feature provided, no live-only plugin, no CV input
// (nothing feeds one), and an audio layout a strip can use.

#include <string>
#include <vector>

#include "mixdown/plugins/plugin_description.h"

namespace mixdown::plugins {

/** The feature URIs the host passes (or honours, for plugin properties listed as features). */
const std::vector<std::string>& supportedFeatures();

/** Why the plugin cannot be hosted, one sentence each ("needs the LV2 feature ..."); empty when it can. */
std::vector<std::string> hostingProblems(const PluginDescription& plugin);

/** Whether the plugin needs every run() to have the same length (bufsz:fixedBlockLength or powerOf2BlockLength). */
bool needsFixedBlockLength(const PluginDescription& plugin);

/** The frames of each run(): maxBlockFrames, rounded up to a power of two for bufsz:powerOf2BlockLength. */
int runFramesFor(const PluginDescription& plugin, int maxBlockFrames);

}  // namespace mixdown::plugins
