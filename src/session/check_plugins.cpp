#include "mixdown/session/check_plugins.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "mixdown/plugins/host_support.h"
#include "mixdown/plugins/plugin_description.h"
#include "mixdown/session/validate.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::session {

namespace {

using nlohmann::json;

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char character) { return std::tolower(character); });
  return text;
}

}  // namespace

std::optional<std::string> suggestedPluginUri(const std::string& written) {
  const std::string lower = lowercase(written);
  // Text that is no URI (no ':') may be a plugin's name: matching names loads every installed plugin's
  // description (seconds for 400 plugins), so a URI is matched against the installed URIs alone.
  if (written.find(':') == std::string::npos)
    for (const auto& [uri, name] : plugins::installedPluginNames())
      if (lowercase(name) == lower) return uri;
  const std::vector<std::string> uris = plugins::installedPluginUris();
  for (const std::string& uri : uris) {
    const std::string uriLower = lowercase(uri);
    const bool endsWithWritten = uriLower.size() > lower.size() &&
                                 uriLower.compare(uriLower.size() - lower.size(), lower.size(), lower) == 0 &&
                                 std::string("/#:").find(uriLower[uriLower.size() - lower.size() - 1]) != std::string::npos;
    if (endsWithWritten) return uri;
  }
  return closestMatch(written, uris);
}

namespace {

void checkInstalled(const Insert& insert, const std::string& uri, Diagnostics& diagnostics) {
  std::string message = std::string("no installed LV2 plugin has the URI ") + quotedText(uri);
  if (const auto suggestion = suggestedPluginUri(uri)) message += std::string(" (did you mean ") + quotedText(*suggestion) + "?)";
  else message += " (mixdown plugins lists the installed ones)";
  diagnostics.add(childPointer(insert.pointer, "uri"), message);
}

std::string rangeText(const plugins::PortDescription& port) {
  return std::string("[") + plugins::describedNumber(port.minimum) + ", " + plugins::describedNumber(port.maximum) + "]" +
         (port.unit.empty() ? std::string() : std::string(" ") + port.unit);
}

/** Compared as the float the port receives, so a bound written as the description writes it is inside. */
void checkValue(double value, const plugins::PortDescription& port, const std::string& pointer, Diagnostics& diagnostics) {
  const auto received = static_cast<float>(value);
  if (!port.hasRange || (received >= port.minimum && received <= port.maximum)) return;
  diagnostics.add(pointer, "must be within " + rangeText(port) + ", the plugin's range of " + quotedText(port.symbol) +
                               ", got " + formatNumber(value));
}

void checkControl(const plugins::PluginDescription& plugin, const std::string& symbol, const json& value,
                  const std::string& pointer, Diagnostics& diagnostics) {
  const plugins::PortDescription* port = plugin.controlInput(symbol);
  if (!port) {
    std::vector<std::string> symbols;
    for (const plugins::PortDescription& candidate : plugin.ports)
      if (candidate.kind == plugins::PortKind::Control && candidate.input) symbols.push_back(candidate.symbol);
    std::string message = plugin.name + " has no control input " + quotedText(symbol);
    if (const auto suggestion = closestMatch(symbol, symbols))
      message += std::string(" (did you mean ") + quotedText(*suggestion) + "?)";
    else {
      message += symbols.empty() ? std::string(" (it has none)") : std::string("; its control inputs:");
      for (const std::string& name : symbols) message.append(" ").append(name);
    }
    return diagnostics.add(pointer, message);
  }
  if (value.is_number()) return checkValue(value.get<double>(), *port, pointer, diagnostics);
  if (!value.is_object()) return;
  if (plugins::needsFixedBlockLength(plugin))
    return diagnostics.add(pointer, "cannot be automated: " + plugin.name +
                                        " needs every run to have the same length (bufsz), so its controls stay "
                                        "fixed for the render (give a number)");
  const json& points = value.at("points");
  for (std::size_t index = 0; index < points.size(); ++index)
    checkValue(points[index][1].get<double>(), *port, childPointer(childPointer(childPointer(pointer, "points"), index), 1),
               diagnostics);
}

void checkInsert(const Insert& insert, Diagnostics& diagnostics) {
  const std::string uri = insert.parameters.at("uri").get<std::string>();
  const std::optional<plugins::PluginDescription> plugin = plugins::describePlugin(uri);
  if (!plugin) return checkInstalled(insert, uri, diagnostics);
  for (const std::string& problem : plugins::hostingProblems(*plugin))
    diagnostics.add(childPointer(insert.pointer, "uri"), plugin->name + " cannot be hosted: it " + problem);
  if (insert.parameters.contains("sidechain") && plugin->sideChainAudio().empty())
    diagnostics.add(childPointer(insert.pointer, "sidechain"),
                    plugin->name + " has no sidechain input to feed (mixdown plugins " + plugin->uri +
                        " shows its audio ports)");
  const auto controls = insert.parameters.find("controls");
  if (controls == insert.parameters.end()) return;
  const std::string controlsPointer = childPointer(insert.pointer, "controls");
  for (const auto& [symbol, value] : controls->items()) {
    if (!symbol.empty() && symbol.front() == '_') continue;  // a comment
    checkControl(*plugin, symbol, value, childPointer(controlsPointer, symbol), diagnostics);
  }
}

void checkInserts(const std::vector<Insert>& inserts, Diagnostics& diagnostics) {
  for (const Insert& insert : inserts)
    if (insert.type == "lv2") checkInsert(insert, diagnostics);
}

}  // namespace

void checkPlugins(const Session& session, Diagnostics& diagnostics) {
  for (const auto& track : session.tracks) checkInserts(track.inserts, diagnostics);
  for (const auto& bus : session.buses) checkInserts(bus.inserts, diagnostics);
  checkInserts(session.master.inserts, diagnostics);
}

}  // namespace mixdown::session
