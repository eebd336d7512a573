#include "mixdown/plugins/plugin_description.h"

#include <lilv/lilv.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "mixdown/plugins/lv2_world.h"

namespace mixdown::plugins {

namespace {

/** A node's text (lilv returns NULL for a NULL node), then frees it. */
std::string takeString(LilvNode* node) {
  std::string text = node && lilv_node_as_string(node) ? lilv_node_as_string(node) : "";
  lilv_node_free(node);
  return text;
}

std::vector<std::string> uris(LilvNodes* nodes) {
  std::vector<std::string> result;
  LILV_FOREACH(nodes, iterator, nodes) result.emplace_back(lilv_node_as_uri(lilv_nodes_get(nodes, iterator)));
  lilv_nodes_free(nodes);
  return result;
}

float floatOr(const LilvNode* node, float otherwise) {
  return node && (lilv_node_is_float(node) || lilv_node_is_int(node)) ? lilv_node_as_float(node) : otherwise;
}

/** units:unit's symbol (units:symbol of the unit resource), else the tail of its URI ("db", "hz"). */
std::string unitOf(const Lv2World& world, const LilvPlugin* plugin, const LilvPort* port) {
  LilvNodes* units = lilv_port_get_value(plugin, port, world.nodes().unit);
  std::string unit;
  if (units && lilv_nodes_size(units) > 0) {
    const LilvNode* node = lilv_nodes_get_first(units);
    if (lilv_node_is_uri(node)) {
      unit = takeString(lilv_world_get(world.world(), node, world.nodes().unitSymbol, nullptr));
      if (unit.empty()) {
        const std::string uri = lilv_node_as_uri(node);
        unit = uri.substr(uri.find_last_of("#/") + 1);
      }
    }
  }
  lilv_nodes_free(units);
  return unit;
}

/** Whether the port is marked lv2:isSideChain or belongs to a port group that is pg:sideChainOf another group. */
bool isSideChain(const Lv2World& world, const LilvPlugin* plugin, const LilvPort* port) {
  if (lilv_port_has_property(plugin, port, world.nodes().isSideChain)) return true;
  LilvNodes* groups = lilv_port_get_value(plugin, port, world.nodes().portGroup);
  bool sideChain = false;
  LILV_FOREACH(nodes, iterator, groups) {
    const LilvNode* group = lilv_nodes_get(groups, iterator);
    sideChain = sideChain || lilv_world_ask(world.world(), group, world.nodes().sideChainOf, nullptr);
  }
  lilv_nodes_free(groups);
  return sideChain;
}

PortDescription describePort(const Lv2World& world, const LilvPlugin* plugin, std::uint32_t index) {
  const Lv2Nodes& nodes = world.nodes();
  const LilvPort* port = lilv_plugin_get_port_by_index(plugin, index);
  PortDescription description;
  description.index = index;
  description.symbol = lilv_node_as_string(lilv_port_get_symbol(plugin, port));
  description.name = takeString(lilv_port_get_name(plugin, port));
  description.input = lilv_port_is_a(plugin, port, nodes.inputPort);
  if (lilv_port_is_a(plugin, port, nodes.audioPort)) description.kind = PortKind::Audio;
  else if (lilv_port_is_a(plugin, port, nodes.controlPort)) description.kind = PortKind::Control;
  else if (lilv_port_is_a(plugin, port, nodes.atomPort)) description.kind = PortKind::Atom;
  else if (lilv_port_is_a(plugin, port, nodes.cvPort)) description.kind = PortKind::Cv;
  description.sideChain = isSideChain(world, plugin, port);
  description.integer = lilv_port_has_property(plugin, port, nodes.integer);
  description.toggled = lilv_port_has_property(plugin, port, nodes.toggled);
  description.reportsLatency = lilv_port_has_property(plugin, port, nodes.reportsLatency);
  LilvNodes* designations = lilv_port_get_value(plugin, port, nodes.designation);
  if (designations && lilv_nodes_size(designations) > 0)
    description.designation = lilv_node_as_string(lilv_nodes_get_first(designations));
  lilv_nodes_free(designations);
  if (description.kind == PortKind::Control) {
    LilvNode* defaultNode = nullptr;
    LilvNode* minimumNode = nullptr;
    LilvNode* maximumNode = nullptr;
    lilv_port_get_range(plugin, port, &defaultNode, &minimumNode, &maximumNode);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    description.minimum = floatOr(minimumNode, nan);
    description.maximum = floatOr(maximumNode, nan);
    description.defaultValue = floatOr(defaultNode, nan);
    description.hasRange = !std::isnan(description.minimum) && !std::isnan(description.maximum);
    lilv_node_free(defaultNode);
    lilv_node_free(minimumNode);
    lilv_node_free(maximumNode);
    description.unit = unitOf(world, plugin, port);
  }
  LilvNodes* sizes = lilv_port_get_value(plugin, port, nodes.minimumSize);
  if (sizes && lilv_nodes_size(sizes) > 0 && lilv_node_is_int(lilv_nodes_get_first(sizes)))
    description.minimumBufferBytes = static_cast<std::uint32_t>(std::max(0, lilv_node_as_int(lilv_nodes_get_first(sizes))));
  lilv_nodes_free(sizes);
  return description;
}

int versionOf(const LilvPlugin* plugin, const LilvNode* predicate) {
  LilvNodes* values = lilv_plugin_get_value(plugin, predicate);
  const int version = values && lilv_nodes_size(values) > 0 && lilv_node_is_int(lilv_nodes_get_first(values))
                          ? lilv_node_as_int(lilv_nodes_get_first(values))
                          : 0;
  lilv_nodes_free(values);
  return version;
}

std::vector<PresetDescription> presetsOf(const Lv2World& world, const LilvPlugin* plugin) {
  std::vector<PresetDescription> presets;
  LilvNodes* related = lilv_plugin_get_related(plugin, world.nodes().preset);
  LILV_FOREACH(nodes, iterator, related) {
    const LilvNode* preset = lilv_nodes_get(related, iterator);
    lilv_world_load_resource(world.world(), preset);
    PresetDescription description{lilv_node_as_uri(preset),
                                  takeString(lilv_world_get(world.world(), preset, world.nodes().label, nullptr))};
    presets.push_back(std::move(description));
  }
  lilv_nodes_free(related);
  return presets;
}

PluginDescription describe(const Lv2World& world, const LilvPlugin* plugin) {
  PluginDescription description;
  description.uri = lilv_node_as_uri(lilv_plugin_get_uri(plugin));
  description.name = takeString(lilv_plugin_get_name(plugin));
  const char* bundle = lilv_file_uri_parse(lilv_node_as_uri(lilv_plugin_get_bundle_uri(plugin)), nullptr);
  description.bundlePath = bundle ? bundle : "";
  lilv_free(const_cast<char*>(bundle));
  if (const LilvNode* library = lilv_plugin_get_library_uri(plugin)) {
    const char* path = lilv_file_uri_parse(lilv_node_as_uri(library), nullptr);
    description.libraryPath = path ? path : "";
    lilv_free(const_cast<char*>(path));
  }
  description.minorVersion = versionOf(plugin, world.nodes().minorVersion);
  description.microVersion = versionOf(plugin, world.nodes().microVersion);
  const std::uint32_t count = lilv_plugin_get_num_ports(plugin);
  for (std::uint32_t index = 0; index < count; ++index) description.ports.push_back(describePort(world, plugin, index));
  description.requiredFeatures = uris(lilv_plugin_get_required_features(plugin));
  description.optionalFeatures = uris(lilv_plugin_get_optional_features(plugin));
  for (const PortDescription& port : description.ports)
    if (port.kind == PortKind::Control && !port.input &&
        (port.reportsLatency || port.designation == lilv_node_as_uri(world.nodes().latency)))
      description.latencyPort = port.index;
  description.isLive = lilv_plugin_has_feature(plugin, world.nodes().isLive);
  description.presets = presetsOf(world, plugin);
  return description;
}

}  // namespace

std::vector<const PortDescription*> PluginDescription::mainAudio(bool input) const {
  std::vector<const PortDescription*> found;
  for (const PortDescription& port : ports)
    if (port.kind == PortKind::Audio && port.input == input && !(input && port.sideChain)) found.push_back(&port);
  return found;
}

std::vector<const PortDescription*> PluginDescription::sideChainAudio() const {
  std::vector<const PortDescription*> found;
  for (const PortDescription& port : ports)
    if (port.kind == PortKind::Audio && port.input && port.sideChain) found.push_back(&port);
  return found;
}

const PortDescription* PluginDescription::controlInput(std::string_view symbol) const {
  for (const PortDescription& port : ports)
    if (port.kind == PortKind::Control && port.input && port.symbol == symbol) return &port;
  return nullptr;
}

std::string describedNumber(float value) {
  std::ostringstream stream;
  stream.precision(7);
  stream << value;
  return stream.str();
}

std::optional<PluginDescription> describePlugin(std::string_view uri) {
  Lv2World& world = Lv2World::instance();
  const auto lock = world.lock();
  const LilvPlugin* plugin = world.plugin(uri);
  if (!plugin) return std::nullopt;
  return describe(world, plugin);
}

std::vector<std::string> installedPluginUris() {
  Lv2World& world = Lv2World::instance();
  const auto lock = world.lock();
  std::vector<std::string> uris;
  LILV_FOREACH(plugins, iterator, world.plugins())
    uris.emplace_back(lilv_node_as_uri(lilv_plugin_get_uri(lilv_plugins_get(world.plugins(), iterator))));
  return uris;
}

std::vector<std::pair<std::string, std::string>> installedPluginNames() {
  Lv2World& world = Lv2World::instance();
  const auto lock = world.lock();
  std::vector<std::pair<std::string, std::string>> names;
  LILV_FOREACH(plugins, iterator, world.plugins()) {
    const LilvPlugin* plugin = lilv_plugins_get(world.plugins(), iterator);
    names.emplace_back(lilv_node_as_uri(lilv_plugin_get_uri(plugin)), takeString(lilv_plugin_get_name(plugin)));
  }
  return names;
}

std::vector<PluginDescription> describeInstalledPlugins() {
  Lv2World& world = Lv2World::instance();
  const auto lock = world.lock();
  std::vector<PluginDescription> all;
  LILV_FOREACH(plugins, iterator, world.plugins()) all.push_back(describe(world, lilv_plugins_get(world.plugins(), iterator)));
  return all;
}

}  // namespace mixdown::plugins
