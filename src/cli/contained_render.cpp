#include "mixdown/cli/contained_render.h"

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <system_error>

#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/cli/stop_signals.h"
#include "mixdown/io/folder_lock.h"
#include "mixdown/io/temporary_file.h"
#include "mixdown/plugins/plugin_watch.h"
#include "mixdown/util/cancellation.h"

namespace mixdown::cli {

namespace {

using json = nlohmann::ordered_json;

bool hasLv2(const std::vector<session::Insert>& inserts) {
  for (const session::Insert& insert : inserts)
    if (insert.type == "lv2") return true;
  return false;
}

json outcomeJson(const RenderOutcome& outcome) {
  json written = json::array();
  for (const std::filesystem::path& path : outcome.written) written.push_back(path.string());
  return {{"exit_status", outcome.exitStatus}, {"error", outcome.error}, {"report", outcome.report},
          {"output_dir", outcome.outputDir}, {"written", std::move(written)}};
}

std::optional<RenderOutcome> outcomeFrom(const std::string& payload) {
  const json parsed = json::parse(payload, nullptr, false);
  if (!parsed.is_object()) return std::nullopt;
  std::vector<std::filesystem::path> written;
  for (const json& path : parsed.at("written")) written.emplace_back(path.get<std::string>());
  return RenderOutcome{parsed.at("exit_status").get<int>(), parsed.at("error").get<std::string>(), parsed.at("report"),
                       parsed.at("output_dir").get<std::string>(), std::move(written)};
}

/** "/tracks/0/inserts/1" of a call's label "/tracks/0/inserts/1 (Plugin Name)". */
std::string pointerOf(const std::string& label) { return label.substr(0, label.find(" (")); }

std::string secondsText(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", seconds);
  return text;
}

/** Removes what the dead child left: its temporaries in every output folder, and the folders it made when empty. */
void removeLeftovers(const session::OutputPlan& plan, const std::vector<std::filesystem::path>& madeFolders) {
  std::error_code error;
  if (std::filesystem::is_directory(plan.dir, error)) {
    const io::FolderLock lock(plan.dir, [] {});
    for (const std::filesystem::path& folder : plan.folders()) io::removeAbandonedTemporaries(folder);
  }
  for (const std::filesystem::path& folder : madeFolders) std::filesystem::remove(folder, error);  // only when empty
}

/** The output folders that do not exist yet, deepest first (the order to remove them in). */
std::vector<std::filesystem::path> missingFolders(const session::OutputPlan& plan) {
  std::vector<std::filesystem::path> missing;
  std::error_code error;
  for (const std::filesystem::path& folder : plan.folders())
    for (std::filesystem::path at = folder; !at.empty() && at != plan.dir.parent_path(); at = at.parent_path()) {
      if (std::filesystem::exists(at, error) || std::find(missing.begin(), missing.end(), at) != missing.end()) break;
      missing.push_back(at);
      if (at == plan.dir || at == at.parent_path()) break;
    }
  std::sort(missing.begin(), missing.end(), [](const auto& a, const auto& b) { return a.native().size() > b.native().size(); });
  return missing;
}

}  // namespace

bool usesPlugins(const session::Session& session) {
  if (hasLv2(session.master.inserts)) return true;
  for (const auto& track : session.tracks)
    if (hasLv2(track.inserts)) return true;
  for (const auto& bus : session.buses)
    if (hasLv2(bus.inserts)) return true;
  return false;
}

RenderOutcome renderContained(const std::string& sessionFile, const std::string& label, const session::OutputPlan& plan,
                              double pluginTimeoutS, const std::function<RenderOutcome()>& render) {
  const std::vector<std::filesystem::path> madeFolders = missingFolders(plan);
  const plugins::WatchedEnd watched = plugins::runWatchingPlugins(
      [&render](std::string& payload) {
        const RenderOutcome outcome = render();
        payload = outcomeJson(outcome).dump(-1, ' ', false, json::error_handler_t::replace);
        return outcome.exitStatus;
      },
      pluginTimeoutS);
  const ChildEnd& end = watched.end;
  const std::optional<plugins::BusyPluginCall>& hung = watched.hung;
  const std::vector<plugins::BusyPluginCall>& busy = watched.running;
  if (end.signal == 0) {
    if (std::optional<RenderOutcome> outcome = outcomeFrom(end.payload)) return *outcome;
  }
  // The child died (or sent nothing it should have): what was running is what to name.
  removeLeftovers(plan, madeFolders);
  if (const int stop = cancellationSignal()) {
    const std::string message = std::string("render ") + Cancelled(stop).what() + "; its outputs were not written";
    printProblem("error", sessionFile, label, "", "render.stopped", message);
    return RenderOutcome{exitStatusForSignal(stop), label + ": " + message, json(), plan.dir.generic_string(), {}};
  }
  std::string code = "plugin.crashed";
  std::string pointer;
  std::string message;
  int status = kExitFailure;
  if (hung) {
    code = "plugin.hung";
    pointer = pointerOf(hung->insert);
    message = "the plugin insert " + hung->insert + " did not return within " + secondsText(pluginTimeoutS) +
              " s (--plugin-timeout-s), so the render was stopped; nothing was written";
  } else if (!busy.empty()) {  // a signal, or a sanitizer's report and exit instead of one
    pointer = pointerOf(busy.front().insert);
    message = "the plugin insert " + busy.front().insert + " crashed the render (" + plugins::howItEnded(end) + "); nothing was written";
  } else if (end.signal == SIGKILL) {
    code = "render.killed";
    status = kExitTemporaryFailure;
    message = "the render was killed (signal 9: out of memory?); nothing was written";
  } else {
    code = "render.crashed";
    message = "the render crashed outside any plugin (" + plugins::howItEnded(end) + "); nothing was written";
  }
  printProblem("error", sessionFile, label, pointer, code, message);
  return RenderOutcome{status, label + ": " + message, json(), plan.dir.generic_string(), {}};
}

}  // namespace mixdown::cli
