#include "mixdown/plugins/lv2_world.h"

#include <lv2/atom/atom.h>
#include <lv2/core/lv2.h>
#include <lv2/port-groups/port-groups.h>
#include <lv2/port-props/port-props.h>
#include <lv2/presets/presets.h>
#include <lv2/resize-port/resize-port.h>
#include <lv2/units/units.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mixdown::plugins {

namespace {
constexpr const char* kRdfsLabel = "http://www.w3.org/2000/01/rdf-schema#label";
// lv2core's sidechain port property (lv2.h of LV2 1.18 has no macro for it).
constexpr const char* kIsSideChain = "http://lv2plug.in/ns/lv2core#isSideChain";

/**
 * LV2_PATH with each relative folder made absolute (from the working folder) and empty ones dropped:
 * lilv 0.24 crashes on a relative entry. "~/" is left for lilv to expand.
 */
std::optional<std::string> absoluteLv2Path() {
  const char* path = std::getenv("LV2_PATH");
  if (!path) return std::nullopt;
  std::string absolute;
  std::string_view rest = path;
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string entry(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    if (entry.empty()) continue;
    const bool keep = entry.front() == '/' || entry.front() == '~';
    absolute.append(absolute.empty() ? "" : ":").append(keep ? entry : std::filesystem::absolute(entry).string());
  }
  return absolute;
}

}  // namespace

Lv2World& Lv2World::instance() {
  static Lv2World world;
  return world;
}

Lv2World::Lv2World() {
  world_ = lilv_world_new();
  if (const std::optional<std::string> path = absoluteLv2Path()) {
    LilvNode* value = lilv_new_string(world_, path->c_str());
    lilv_world_set_option(world_, LILV_OPTION_LV2_PATH, value);
    lilv_node_free(value);
  }
  lilv_world_load_all(world_);
  plugins_ = lilv_world_get_all_plugins(world_);
  auto uri = [this](const char* text) { return owned_.emplace_back(lilv_new_uri(world_, text)); };
  nodes_ = Lv2Nodes{
      uri(LV2_CORE__AudioPort),      uri(LV2_CORE__ControlPort),       uri(LV2_ATOM__AtomPort),
      uri(LV2_CORE__CVPort),         uri(LV2_CORE__InputPort),         uri(LV2_CORE__OutputPort),
      uri(kIsSideChain),             uri(LV2_CORE__integer),
      uri(LV2_CORE__toggled),        uri(LV2_CORE__enabled),           uri(LV2_CORE__freeWheeling),
      uri(LV2_CORE__reportsLatency), uri(LV2_CORE__latency),           uri(LV2_RESIZE_PORT__minimumSize),
      uri(LV2_UNITS__unit),          uri(LV2_UNITS__symbol),           uri(LV2_CORE__isLive),
      uri(LV2_CORE__minorVersion),   uri(LV2_CORE__microVersion),      uri(LV2_PRESETS__Preset),
      uri(kRdfsLabel),               uri(LV2_CORE__designation),       uri(LV2_PORT_GROUPS__group),
      uri(LV2_PORT_GROUPS__sideChainOf),
  };
}

Lv2World::~Lv2World() {
  for (LilvNode* node : owned_) lilv_node_free(node);
  lilv_world_free(world_);
}

const LilvPlugin* Lv2World::plugin(std::string_view uri) const {
  // Not a URI (no "scheme:" start, RFC 3986): no plugin has it, and lilv would print an error for it.
  const std::size_t colon = uri.find(':');
  const auto schemeCharacter = [](char character) {
    return std::isalnum(static_cast<unsigned char>(character)) || character == '+' || character == '-' || character == '.';
  };
  if (colon == std::string_view::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(uri.front())) ||
      !std::all_of(uri.begin(), uri.begin() + static_cast<std::ptrdiff_t>(colon), schemeCharacter))
    return nullptr;
  LilvNode* node = lilv_new_uri(world_, std::string(uri).c_str());
  const LilvPlugin* found = lilv_plugins_get_by_uri(plugins_, node);
  lilv_node_free(node);
  return found;
}

}  // namespace mixdown::plugins
