#pragma once
// What an installed LV2 plugin says about itself in its description (never
// its binary): ports, features, latency, presets. Plain data, read once from
// the lilv world; validation, `mixdown plugins` and the host all read it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mixdown::plugins {

enum class PortKind { Audio, Control, Atom, Cv, Other };

struct PortDescription {
  std::uint32_t index = 0;
  std::string symbol;
  std::string name;
  PortKind kind = PortKind::Other;
  bool input = false;
  bool sideChain = false;           // a key input, fed by the insert's sidechain: lv2:isSideChain, or in a
                                    // port group that is pg:sideChainOf another (as LSP's sidechain plugins say it)
  // Control ports: the range and default in the port's own unit (NaN where the description gives none).
  float minimum = 0.0f;
  float maximum = 0.0f;
  float defaultValue = 0.0f;
  bool hasRange = false;            // both minimum and maximum given
  bool integer = false;
  bool toggled = false;
  std::string unit;                 // units:symbol, else the unit's URI tail, else ""
  std::string designation;          // lv2:designation's URI, or ""
  bool reportsLatency = false;
  std::uint32_t minimumBufferBytes = 0;  // rsz:minimumSize (atom ports), 0 when not given
};

struct PresetDescription {
  std::string uri;
  std::string label;
};

struct PluginDescription {
  std::string uri;
  std::string name;
  std::string bundlePath;           // the bundle's folder
  std::string libraryPath;          // the shared library holding the plugin's code
  int minorVersion = 0;
  int microVersion = 0;
  std::vector<PortDescription> ports;
  std::vector<std::string> requiredFeatures;
  std::vector<std::string> optionalFeatures;
  std::optional<std::uint32_t> latencyPort;  // the control output reporting latency
  bool isLive = false;              // lv2:isLive: needs real time, cannot run offline
  std::vector<PresetDescription> presets;

  /** Audio ports that are not sidechain inputs, of one direction, in port order. */
  std::vector<const PortDescription*> mainAudio(bool input) const;
  /** Audio inputs marked lv2:isSideChain. */
  std::vector<const PortDescription*> sideChainAudio() const;
  /** The control input of that symbol, or nullptr. */
  const PortDescription* controlInput(std::string_view symbol) const;
};

/** A port's number as its description wrote it: the float's 7 significant digits ("0.001", not 0.001000000047). */
std::string describedNumber(float value);

/** The installed plugin of uri, or nullopt. */
std::optional<PluginDescription> describePlugin(std::string_view uri);

/** The URI and name of every installed plugin (cheap: no ports read). */
/** Every installed plugin's URI, from the bundles' manifests alone (cheap: no plugin's description is loaded). */
std::vector<std::string> installedPluginUris();

std::vector<std::pair<std::string, std::string>> installedPluginNames();

/** Every installed plugin, by URI. */
std::vector<PluginDescription> describeInstalledPlugins();

}  // namespace mixdown::plugins
