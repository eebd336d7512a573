#include "mixdown/plugins/host_support.h"

#include <lv2/buf-size/buf-size.h>
#include <lv2/core/lv2.h>
#include <lv2/log/log.h>
#include <lv2/options/options.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include <algorithm>

namespace mixdown::plugins {

namespace {

bool requiresFeature(const PluginDescription& plugin, const char* feature) {
  return std::find(plugin.requiredFeatures.begin(), plugin.requiredFeatures.end(), feature) != plugin.requiredFeatures.end();
}

}  // namespace

const std::vector<std::string>& supportedFeatures() {
  static const std::vector<std::string> features{
      LV2_URID__map,
      LV2_URID__unmap,
      LV2_OPTIONS__options,
      LV2_BUF_SIZE__boundedBlockLength,
      LV2_BUF_SIZE__fixedBlockLength,
      LV2_BUF_SIZE__powerOf2BlockLength,
      LV2_WORKER__schedule,
      LV2_LOG__log,
      LV2_CORE__hardRTCapable,  // a plugin property some plugins list as a feature: nothing to provide
      LV2_CORE__inPlaceBroken,  // honoured: inputs and outputs never share a buffer
  };
  return features;
}

std::vector<std::string> hostingProblems(const PluginDescription& plugin) {
  std::vector<std::string> problems;
  const auto& supported = supportedFeatures();
  for (const std::string& feature : plugin.requiredFeatures)
    if (std::find(supported.begin(), supported.end(), feature) == supported.end())
      problems.push_back("needs the LV2 feature " + feature + ", which mixdown does not provide");
  if (plugin.isLive) problems.push_back("is live-only (lv2:isLive): it cannot run offline");
  for (const PortDescription& port : plugin.ports) {
    if (port.kind == PortKind::Cv && port.input)
      problems.push_back("has a CV input (port \"" + port.symbol + "\"), which mixdown does not feed");
    if (port.kind == PortKind::Other)
      problems.push_back("has port \"" + port.symbol + "\" of a type mixdown does not know");
  }
  const std::size_t inputs = plugin.mainAudio(true).size();
  const std::size_t outputs = plugin.mainAudio(false).size();
  const bool usable = (inputs == 1 && outputs == 1) || (inputs == 2 && outputs == 2) || (inputs == 1 && outputs == 2);
  if (!usable)
    problems.push_back("has " + std::to_string(inputs) + " audio input(s) and " + std::to_string(outputs) +
                       " output(s); an insert needs 1 in and 1 out, 2 in and 2 out, or 1 in and 2 out");
  return problems;
}

bool needsFixedBlockLength(const PluginDescription& plugin) {
  return requiresFeature(plugin, LV2_BUF_SIZE__fixedBlockLength) || requiresFeature(plugin, LV2_BUF_SIZE__powerOf2BlockLength);
}

int runFramesFor(const PluginDescription& plugin, int maxBlockFrames) {
  if (!requiresFeature(plugin, LV2_BUF_SIZE__powerOf2BlockLength)) return maxBlockFrames;
  int frames = 1;
  while (frames < maxBlockFrames) frames *= 2;
  return frames;
}

}  // namespace mixdown::plugins
