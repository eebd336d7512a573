// Whether a plugin can be hosted, from its description alone.

#include <doctest/doctest.h>

#include <lv2/urid/urid.h>

#include "mixdown/plugins/host_support.h"

namespace mixdown::test {

namespace {

plugins::PortDescription audioPort(std::uint32_t index, bool input, bool sideChain = false) {
  plugins::PortDescription port;
  port.index = index;
  port.symbol = (input ? "in" : "out") + std::to_string(index);
  port.kind = plugins::PortKind::Audio;
  port.input = input;
  port.sideChain = sideChain;
  return port;
}

plugins::PluginDescription monoPlugin() {
  plugins::PluginDescription plugin;
  plugin.uri = "http://example.org/plugin";
  plugin.ports = {audioPort(0, true), audioPort(1, false)};
  return plugin;
}

}  // namespace

TEST_CASE("host support: a plugin needing only what the host provides can be hosted") {
  plugins::PluginDescription plugin = monoPlugin();
  plugin.requiredFeatures = {LV2_URID__map};
  CHECK(plugins::hostingProblems(plugin).empty());
}

TEST_CASE("host support: a required feature the host lacks is refused by its URI") {
  plugins::PluginDescription plugin = monoPlugin();
  plugin.requiredFeatures = {LV2_URID__map, "http://example.org/ns#teleport"};
  const auto problems = plugins::hostingProblems(plugin);
  REQUIRE(problems.size() == 1);
  CHECK(problems.front() == "needs the LV2 feature http://example.org/ns#teleport, which mixdown does not provide");
}

TEST_CASE("host support: live-only plugins, CV inputs and unusable audio layouts are refused") {
  plugins::PluginDescription live = monoPlugin();
  live.isLive = true;
  CHECK(plugins::hostingProblems(live).front().find("lv2:isLive") != std::string::npos);

  plugins::PluginDescription instrument;
  instrument.ports = {audioPort(0, false), audioPort(1, false)};
  CHECK(plugins::hostingProblems(instrument).front().find("has 0 audio input(s) and 2 output(s)") != std::string::npos);

  plugins::PluginDescription keyed = monoPlugin();
  keyed.ports.push_back(audioPort(2, true, true));  // a sidechain input is not a main input
  CHECK(plugins::hostingProblems(keyed).empty());
}

TEST_CASE("host support: power-of-two block lengths round the run length up") {
  plugins::PluginDescription plugin = monoPlugin();
  CHECK(plugins::runFramesFor(plugin, 1000) == 1000);
  CHECK_FALSE(plugins::needsFixedBlockLength(plugin));
  plugin.requiredFeatures = {"http://lv2plug.in/ns/ext/buf-size#powerOf2BlockLength"};
  CHECK(plugins::runFramesFor(plugin, 1000) == 1024);
  CHECK(plugins::runFramesFor(plugin, 1024) == 1024);
  CHECK(plugins::needsFixedBlockLength(plugin));
}

}  // namespace mixdown::test
