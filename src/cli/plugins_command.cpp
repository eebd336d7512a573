#include "mixdown/cli/plugins_command.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/cli/plugins_check_command.h"
#include "mixdown/plugins/host_support.h"
#include "mixdown/plugins/plugin_description.h"
#include "mixdown/session/check_plugins.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

namespace {

using json = nlohmann::ordered_json;
using plugins::PluginDescription;
using plugins::PortDescription;
using plugins::PortKind;

/** A port's number for JSON: null where the description gives none. */
json numberOrNull(float value) { return std::isnan(value) ? json() : json(std::stod(plugins::describedNumber(value))); }

/** What an insert of this plugin does with a track's channels (plugins/lv2_processor.h). */
std::string layoutOnTracks(const PluginDescription& plugin) {
  const std::size_t inputs = plugin.mainAudio(true).size();
  const std::size_t outputs = plugin.mainAudio(false).size();
  if (inputs == 1 && outputs == 1) return "mono: one instance per channel on a stereo track";
  if (inputs == 2 && outputs == 2) return "stereo: a mono track becomes stereo";
  if (inputs == 1 && outputs == 2) return "mono in, stereo out: a stereo track feeds it (L + R) / 2";
  return "none";
}

json summaryJson(const PluginDescription& plugin) {
  const std::vector<std::string> problems = plugins::hostingProblems(plugin);
  return {{"uri", plugin.uri},
          {"name", plugin.name},
          {"bundle", plugin.bundlePath},
          {"version", {{"minor", plugin.minorVersion}, {"micro", plugin.microVersion}}},
          {"audio_inputs", plugin.mainAudio(true).size()},
          {"audio_outputs", plugin.mainAudio(false).size()},
          {"sidechain_inputs", plugin.sideChainAudio().size()},
          {"reports_latency", plugin.latencyPort.has_value()},
          {"hostable", problems.empty()},
          {"problems", problems}};
}

json controlJson(const PortDescription& port) {
  json control{{"symbol", port.symbol}, {"name", port.name}, {"unit", port.unit}};
  control["minimum"] = numberOrNull(port.minimum);
  control["maximum"] = numberOrNull(port.maximum);
  control["default"] = numberOrNull(port.defaultValue);
  control["integer"] = port.integer;
  control["toggled"] = port.toggled;
  return control;
}

/** The insert a session writes for this plugin: every control input at its default. */
json insertJson(const PluginDescription& plugin) {
  json controls = json::object();
  for (const PortDescription& port : plugin.ports)
    if (port.kind == PortKind::Control && port.input && !std::isnan(port.defaultValue) && port.designation.empty())
      controls[port.symbol] = numberOrNull(port.defaultValue);
  return {{"type", "lv2"}, {"uri", plugin.uri}, {"controls", std::move(controls)}};
}

json detailJson(const PluginDescription& plugin) {
  json detail = summaryJson(plugin);
  detail["layout"] = layoutOnTracks(plugin);
  detail["required_features"] = plugin.requiredFeatures;
  json controls = json::array();
  json outputs = json::array();
  for (const PortDescription& port : plugin.ports) {
    if (port.kind != PortKind::Control) continue;
    if (port.input) controls.push_back(controlJson(port));
    else outputs.push_back({{"symbol", port.symbol}, {"name", port.name}, {"unit", port.unit}});
  }
  detail["controls"] = std::move(controls);
  detail["control_outputs"] = std::move(outputs);
  json presets = json::array();
  for (const plugins::PresetDescription& preset : plugin.presets) presets.push_back({{"uri", preset.uri}, {"label", preset.label}});
  detail["presets"] = std::move(presets);
  detail["insert"] = insertJson(plugin);
  return detail;
}

std::string text(const json& value) { return printableText(value.get<std::string>()); }

std::string numberText(const json& value) {
  return value.is_null() ? "-" : plugins::describedNumber(value.get<float>());
}

void printSummaryLine(const json& summary) {
  std::cout << (summary.at("hostable").get<bool>() ? "  " : "! ") << text(summary.at("uri")) << "  " << text(summary.at("name"))
            << "  [" << summary.at("audio_inputs").get<int>() << " in";
  if (const int keys = summary.at("sidechain_inputs").get<int>(); keys > 0) std::cout << " + " << keys << " sidechain";
  std::cout << ", " << summary.at("audio_outputs").get<int>() << " out"
            << (summary.at("reports_latency").get<bool>() ? ", reports latency" : "") << "]\n";
  for (const json& problem : summary.at("problems")) std::cout << "      cannot host: it " << text(problem) << '\n';
}

void printDetail(const json& detail) {
  std::cout << text(detail.at("name")) << '\n'
            << "  uri:      " << text(detail.at("uri")) << '\n'
            << "  bundle:   " << text(detail.at("bundle")) << '\n'
            << "  version:  " << detail.at("version").at("minor").get<int>() << '.' << detail.at("version").at("micro").get<int>()
            << '\n'
            << "  audio:    " << detail.at("audio_inputs").get<int>() << " in, " << detail.at("audio_outputs").get<int>()
            << " out, " << detail.at("sidechain_inputs").get<int>() << " sidechain in (" << text(detail.at("layout")) << ")\n"
            << "  latency:  "
            << (detail.at("reports_latency").get<bool>() ? "reported by the plugin, compensated by mixdown" : "none reported")
            << '\n';
  std::cout << "  features:";
  if (detail.at("required_features").empty()) std::cout << " none required";
  for (const json& feature : detail.at("required_features")) std::cout << ' ' << text(feature);
  std::cout << '\n';
  if (detail.at("hostable").get<bool>()) std::cout << "  hosting:  mixdown can host it\n";
  for (const json& problem : detail.at("problems")) std::cout << "  hosting:  cannot: it " << text(problem) << '\n';
  std::cout << "controls (symbol, name, unit, minimum, maximum, default):\n";
  if (detail.at("controls").empty()) std::cout << "  none\n";
  for (const json& control : detail.at("controls"))
    std::cout << "  " << text(control.at("symbol")) << "  " << text(control.at("name")) << "  "
              << (control.at("unit").get<std::string>().empty() ? "-" : text(control.at("unit"))) << "  "
              << numberText(control.at("minimum")) << "  " << numberText(control.at("maximum")) << "  "
              << numberText(control.at("default"))
              << (control.at("toggled").get<bool>() ? "  (on/off)" : control.at("integer").get<bool>() ? "  (integer)" : "")
              << '\n';
  if (!detail.at("control_outputs").empty()) {
    std::cout << "control outputs (read by the plugin's own meters, not by mixdown):";
    for (const json& output : detail.at("control_outputs")) std::cout << ' ' << text(output.at("symbol"));
    std::cout << '\n';
  }
  std::cout << "presets (label, uri):\n";
  if (detail.at("presets").empty()) std::cout << "  none\n";
  for (const json& preset : detail.at("presets"))
    std::cout << "  " << (preset.at("label").get<std::string>().empty() ? "-" : text(preset.at("label"))) << "  "
              << text(preset.at("uri")) << '\n';
  std::cout << "as an insert:\n  " << detail.at("insert").dump() << '\n';
}

int listPlugins(const PluginsCommandOptions& options) {
  json list = json::array();
  for (const PluginDescription& plugin : plugins::describeInstalledPlugins()) {
    json summary = summaryJson(plugin);
    if (!options.hostable || summary.at("hostable").get<bool>()) list.push_back(std::move(summary));
  }
  if (options.json) {
    std::cout << list.dump(2) << '\n';
    return kExitSuccess;
  }
  if (list.empty()) {
    std::cout << "no " << (options.hostable ? "hostable " : "") << "LV2 plugins installed (LV2_PATH sets where to look)\n";
    return kExitSuccess;
  }
  std::size_t hostable = 0;
  for (const json& summary : list) {
    printSummaryLine(summary);
    hostable += summary.at("hostable").get<bool>() ? 1 : 0;
  }
  std::cout << list.size() << " plugins, " << hostable << " mixdown can host (! marks the others)\n";
  return kExitSuccess;
}

}  // namespace

int runPlugins(const PluginsCommandOptions& options) {
  if (options.uri.empty()) return listPlugins(options);
  const std::optional<PluginDescription> plugin = plugins::describePlugin(options.uri);
  if (!plugin) {
    std::string message = "no installed LV2 plugin has the URI " + quotedText(options.uri);
    if (const auto suggestion = session::suggestedPluginUri(options.uri)) message += " (did you mean " + quotedText(*suggestion) + "?)";
    printError(message);
    return kExitFailure;
  }
  const json detail = detailJson(*plugin);
  if (options.json) std::cout << detail.dump(2) << '\n';
  else printDetail(detail);
  return kExitSuccess;
}

RegisteredCommand registerPluginsCommand(CLI::App& app) {
  const auto options = std::make_shared<PluginsCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "plugins", "list the installed LV2 plugins and whether mixdown can host them; with a URI, its controls and presets");
  command->add_option("URI", options->uri, "one plugin's URI: its control ports, presets and the insert to use it");
  command->add_flag("--json", options->json, "print JSON instead of text");
  command->add_flag("--hostable", options->hostable, "list only the plugins mixdown can host");
  const RegisteredCommand check = registerPluginsCheckCommand(*command);
  return {command, [options, check] { return check.subcommand->parsed() ? check.run() : runPlugins(*options); }};
}

}  // namespace mixdown::cli
