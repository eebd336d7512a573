#include "mixdown/cli/plugins_check_command.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "mixdown/cli/exit_status.h"
#include "mixdown/plugins/host_support.h"
#include "mixdown/plugins/plugin_description.h"
#include "mixdown/plugins/plugin_exercise.h"
#include "mixdown/plugins/plugin_watch.h"
#include "mixdown/session/check_plugins.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

namespace {

using json = nlohmann::ordered_json;

json dbfsOrNull(double dbfs) { return std::isfinite(dbfs) ? json(std::round(dbfs * 100.0) / 100.0) : json(); }

/** Why a plugin cannot be checked at all (not installed, cannot be hosted), or "". */
std::string refusal(const std::string& uri) {
  const std::optional<plugins::PluginDescription> plugin = plugins::describePlugin(uri);
  if (!plugin) {
    std::string message = "no installed LV2 plugin has this URI";
    if (const auto suggestion = session::suggestedPluginUri(uri)) message += " (did you mean " + quotedText(*suggestion) + "?)";
    return message;
  }
  const std::vector<std::string> problems = plugins::hostingProblems(*plugin);
  return problems.empty() ? std::string() : "mixdown cannot host it: it " + problems.front();
}

/** Runs the plugin in a watched child; its entry: uri, safe, problem, and what was measured. */
json checkOne(const std::string& uri, double timeoutS) {
  json entry{{"uri", uri}, {"safe", false}, {"problem", nullptr}};
  if (const std::string refused = refusal(uri); !refused.empty()) {
    entry["problem"] = refused;
    return entry;
  }
  const plugins::WatchedEnd watched = plugins::runWatchingPlugins(
      [&uri](std::string& payload) {
        try {
          const plugins::PluginExercise result = plugins::exercisePlugin(uri);
          payload = json{{"latency_frames", result.latencyFrames}, {"latency_changed", result.latencyChanged},
                         {"finite", result.finite}, {"silence_peak_dbfs", dbfsOrNull(result.silencePeakDbfs)},
                         {"noise_peak_dbfs", dbfsOrNull(result.noisePeakDbfs)}}
                        .dump();
        } catch (const std::exception& error) {
          payload = json{{"refused", error.what()}}.dump();
        }
        return 0;
      },
      timeoutS);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%g", timeoutS);
  if (watched.hung) {
    entry["problem"] = std::string("a call did not return within ") + seconds + " s (--plugin-timeout-s)";
    return entry;
  }
  const json measured = json::parse(watched.end.payload, nullptr, false);
  if (watched.end.signal != 0 || !measured.is_object()) {
    entry["problem"] = "crashed (" + plugins::howItEnded(watched.end) + ")";
    return entry;
  }
  if (measured.contains("refused")) {
    entry["problem"] = "refused to run: " + measured.at("refused").get<std::string>();
    return entry;
  }
  for (const auto& [key, value] : measured.items()) entry[key] = value;
  if (!measured.at("finite").get<bool>()) entry["problem"] = "its output was not finite (NaN or infinity)";
  else if (measured.at("latency_changed").get<bool>()) entry["problem"] = "its reported latency changed while it ran";
  else entry["safe"] = true;
  return entry;
}

std::string dbfsText(const json& value) {
  if (value.is_null()) return "-inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value.get<double>());
  return text;
}

void printEntry(const json& entry) {
  std::cout << printableText(entry.at("uri").get<std::string>()) << ": ";
  if (!entry.at("safe").get<bool>()) {
    std::cout << "NOT SAFE: " << printableText(entry.at("problem").get<std::string>()) << '\n';
    return;
  }
  std::cout << "safe (latency " << entry.at("latency_frames").get<int>() << " frames; silence in, "
            << dbfsText(entry.at("silence_peak_dbfs")) << " dBFS peak out; noise at -6 dBFS peak in, "
            << dbfsText(entry.at("noise_peak_dbfs")) << " dBFS peak out)\n";
}

}  // namespace

int runPluginsCheck(const PluginsCheckOptions& options) {
  json entries = json::array();
  bool allSafe = true;
  for (const std::string& uri : options.uris) {
    json entry = checkOne(uri, options.pluginTimeoutS);
    allSafe = allSafe && entry.at("safe").get<bool>();
    if (!options.json) printEntry(entry);
    entries.push_back(std::move(entry));
  }
  if (options.json) std::cout << entries.dump(2) << '\n';
  return allSafe ? kExitSuccess : kExitFailure;
}

RegisteredCommand registerPluginsCheckCommand(CLI::App& plugins) {
  const auto options = std::make_shared<PluginsCheckOptions>();
  CLI::App* command = plugins.add_subcommand(
      "check", "run each plugin alone in a child process (silence, then noise) and say whether it is safe to render with");
  command->add_option("URI", options->uris, "plugin URIs")->required();
  command->add_flag("--json", options->json, "print JSON instead of text");
  command->add_option("--plugin-timeout-s", options->pluginTimeoutS, "SECONDS: a call longer than this is a hang (default 30)")
      ->check(CLI::Range(0.1, 86400.0));
  return {command, [options] { return runPluginsCheck(*options); }};
}

}  // namespace mixdown::cli
