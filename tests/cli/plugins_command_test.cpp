// End-to-end: `mixdown plugins` against lilv's own tools (lv2ls, lv2info of
// Debian's lilv-utils), which read the same descriptions by another path:
// the same set of URIs, and for chosen plugins the same control symbols,
// ranges, defaults, audio ports, latency and presets; LV2_PATH honoured; the
// insert it prints validates as it is; an unknown URI an error with a
// suggestion.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_runner.h"
#include "support/installed_plugins.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

using nlohmann::json;

const std::filesystem::path kLv2ls = "/usr/bin/lv2ls";
const std::filesystem::path kLv2info = "/usr/bin/lv2info";

bool lilvToolsInstalled() {
  if (std::filesystem::exists(kLv2ls) && std::filesystem::exists(kLv2info)) return true;
  MESSAGE("skipped: lv2ls and lv2info are missing (Debian package lilv-utils, installed by scripts/install-test-plugins.sh)");
  return false;
}

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  const auto last = text.find_last_not_of(" \t");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

/** What lv2info prints of a port. */
struct InfoPort {
  std::vector<std::string> types;
  std::string symbol;
  std::optional<double> minimum, maximum, defaultValue;
  bool has(const std::string& typeTail) const {
    return std::any_of(types.begin(), types.end(), [&](const std::string& type) { return type.ends_with(typeTail); });
  }
};

struct InfoPlugin {
  bool hasLatency = false;
  std::vector<std::string> presetLabels;
  std::vector<InfoPort> ports;
};

/** Parses lv2info URI's text: "Has latency:", the labels under "Presets:", and each "Port N:" block. */
InfoPlugin lv2info(const std::string& uri) {
  const CommandResult result = runProgram(kLv2info, {uri}, std::filesystem::temp_directory_path());
  REQUIRE(result.exitStatus == 0);
  InfoPlugin plugin;
  bool inPresets = false;
  bool inTypes = false;
  for (const std::string& line : linesOf(result.out)) {
    const std::string text = trimmed(line);
    auto valueAfter = [&](const std::string& key) { return trimmed(text.substr(key.size())); };
    if (text.starts_with("Has latency:")) plugin.hasLatency = valueAfter("Has latency:").starts_with("yes");  // "yes, reported by port N"
    if (text.starts_with("Presets:")) {
      inPresets = true;
      if (!valueAfter("Presets:").empty()) plugin.presetLabels.push_back(valueAfter("Presets:"));
      continue;
    }
    if (text.starts_with("Port ")) {
      inPresets = false;
      plugin.ports.emplace_back();
      continue;
    }
    if (inPresets && !text.empty()) plugin.presetLabels.push_back(text);
    if (plugin.ports.empty()) continue;
    InfoPort& port = plugin.ports.back();
    if (text.starts_with("Type:")) {
      port.types.push_back(valueAfter("Type:"));
      inTypes = true;
    } else if (inTypes && text.starts_with("http")) {
      port.types.push_back(text);
    } else {
      inTypes = false;
    }
    if (text.starts_with("Symbol:")) port.symbol = valueAfter("Symbol:");
    if (text.starts_with("Minimum:")) port.minimum = std::stod(valueAfter("Minimum:"));
    if (text.starts_with("Maximum:")) port.maximum = std::stod(valueAfter("Maximum:"));
    if (text.starts_with("Default:")) port.defaultValue = std::stod(valueAfter("Default:"));
  }
  return plugin;
}

json pluginsJson(const std::vector<std::string>& arguments) {
  const CommandResult result = runMixdown(arguments, std::filesystem::temp_directory_path());
  INFO(result.err);
  REQUIRE(result.exitStatus == 0);
  return json::parse(result.out);
}

void checkAgainstLv2info(const std::string& uri) {
  CAPTURE(uri);
  const InfoPlugin info = lv2info(uri);
  const json detail = pluginsJson({"plugins", uri, "--json"});
  CHECK(detail.at("uri") == uri);
  CHECK(detail.at("reports_latency").get<bool>() == info.hasLatency);
  std::size_t audioInputs = 0, audioOutputs = 0;
  std::vector<const InfoPort*> controls;
  for (const InfoPort& port : info.ports) {
    if (port.has("#AudioPort")) (port.has("#InputPort") ? audioInputs : audioOutputs) += 1;
    if (port.has("#ControlPort") && port.has("#InputPort")) controls.push_back(&port);
  }
  CHECK(detail.at("audio_inputs").get<std::size_t>() + detail.at("sidechain_inputs").get<std::size_t>() == audioInputs);
  CHECK(detail.at("audio_outputs").get<std::size_t>() == audioOutputs);
  REQUIRE(detail.at("controls").size() == controls.size());
  for (std::size_t index = 0; index < controls.size(); ++index) {
    const json& control = detail.at("controls")[index];
    CAPTURE(controls[index]->symbol);
    CHECK(control.at("symbol") == controls[index]->symbol);
    auto checkBound = [](const json& ours, const std::optional<double>& theirs) {
      REQUIRE(ours.is_null() == !theirs.has_value());
      if (theirs) CHECK(ours.get<double>() == doctest::Approx(*theirs).epsilon(1e-6));  // lv2info prints 6 decimals
    };
    checkBound(control.at("minimum"), controls[index]->minimum);
    checkBound(control.at("maximum"), controls[index]->maximum);
    checkBound(control.at("default"), controls[index]->defaultValue);
  }
  std::multiset<std::string> labels;
  for (const json& preset : detail.at("presets")) labels.insert(preset.at("label").get<std::string>());
  CHECK(labels == std::multiset<std::string>(info.presetLabels.begin(), info.presetLabels.end()));
}

}  // namespace

TEST_CASE("plugins --json lists exactly the URIs lv2ls lists") {
  if (!lilvToolsInstalled()) return;
  const CommandResult lv2ls = runProgram(kLv2ls, {}, std::filesystem::temp_directory_path());
  REQUIRE(lv2ls.exitStatus == 0);
  const std::vector<std::string> lines = linesOf(lv2ls.out);
  const std::set<std::string> expected(lines.begin(), lines.end());
  std::set<std::string> listed;
  for (const json& plugin : pluginsJson({"plugins", "--json"})) listed.insert(plugin.at("uri").get<std::string>());
  CHECK(listed == expected);
  // --hostable keeps exactly the plugins whose entry says they can be hosted, each with no problem given.
  std::set<std::string> hostable;
  for (const json& plugin : pluginsJson({"plugins", "--json", "--hostable"})) {
    CHECK(plugin.at("hostable").get<bool>());
    CHECK(plugin.at("problems").empty());
    hostable.insert(plugin.at("uri").get<std::string>());
  }
  CHECK(std::includes(listed.begin(), listed.end(), hostable.begin(), hostable.end()));
}

TEST_CASE("plugins URI --json gives the ports, latency and presets lv2info reads from the description") {
  if (!lilvToolsInstalled()) return;
  if (pluginInstalled(kEgAmp, "lv2-examples")) checkAgainstLv2info(kEgAmp);
  if (pluginInstalled(kX42LimiterMono, "x42-plugins")) checkAgainstLv2info(kX42LimiterMono);
  if (pluginInstalled(kLspLimiterMono, "lsp-plugins-lv2")) checkAgainstLv2info(kLspLimiterMono);
  if (pluginInstalled(kX42ZeroConvolverMono, "x42-plugins")) checkAgainstLv2info(kX42ZeroConvolverMono);
}

TEST_CASE("plugins: eg-amp's entry, as its amp.ttl writes it, and its insert validates as printed") {
  if (!pluginInstalled(kEgAmp, "lv2-examples")) return;
  const json detail = pluginsJson({"plugins", kEgAmp, "--json"});
  CHECK(detail.at("name") == "Simple Amplifier");
  CHECK(detail.at("hostable").get<bool>());
  REQUIRE(detail.at("controls").size() == 1);
  const json& gain = detail.at("controls")[0];
  CHECK(gain.at("symbol") == "gain");
  CHECK(gain.at("unit") == "dB");
  CHECK(gain.at("minimum") == -90.0);
  CHECK(gain.at("maximum") == 24.0);
  CHECK(gain.at("default") == 0.0);
  CHECK(detail.at("insert") == json{{"type", "lv2"}, {"uri", kEgAmp}, {"controls", {{"gain", 0.0}}}});

  TempDir folder;
  const json session{{"mixdown", 1},
                     {"tracks", {{{"name", "tone"}, {"source", "tone.wav"}, {"inserts", {detail.at("insert")}}}}},
                     {"outputs", {{"mix", {{"file", "mix.wav"}}}}}};
  std::ofstream(folder.file("session.json")) << session.dump(2);
  const CommandResult validated = runMixdown({"validate", "session.json"}, folder.path());
  // The only problem may be the missing audio file: the insert itself is valid.
  CHECK(validated.err.find("/inserts/0") == std::string::npos);
}

TEST_CASE("plugins honours LV2_PATH: a folder holding only eg-amp's bundle lists only eg-amp") {
  const std::filesystem::path bundle = "/usr/lib/lv2/eg-amp.lv2";
  if (!pluginInstalled(kEgAmp, "lv2-examples") || !std::filesystem::exists(bundle)) return;
  TempDir folder;
  std::filesystem::create_directory_symlink(bundle, folder.file("eg-amp.lv2"));
  const CommandResult result = runProgram("/usr/bin/env", {"LV2_PATH=" + folder.path().string(), mixdownBinary().string(),
                                                           "plugins", "--json"},
                                          folder.path());
  REQUIRE(result.exitStatus == 0);
  const json list = json::parse(result.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0].at("uri") == kEgAmp);
}

TEST_CASE("plugins: an unknown URI is an error (exit 1) that suggests the installed plugin meant") {
  if (!pluginInstalled(kEgAmp, "lv2-examples")) return;
  const CommandResult result = runMixdown({"plugins", "http://lv2plug.in/plugins/eg-ampp"}, std::filesystem::temp_directory_path());
  CHECK(result.exitStatus == 1);
  CHECK(result.out.empty());
  CHECK(result.err.find("no installed LV2 plugin has the URI \"http://lv2plug.in/plugins/eg-ampp\"") != std::string::npos);
  CHECK(result.err.find("did you mean \"http://lv2plug.in/plugins/eg-amp\"") != std::string::npos);
}

}  // namespace mixdown::test

namespace mixdown::test {

namespace {

nlohmann::json checkJson(const std::vector<std::string>& uris, int expectedStatus, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> command{std::string("LV2_PATH=") + MIXDOWN_TEST_LV2_DIR + ":/usr/lib/lv2", mixdownBinary().string(),
                                   "plugins", "check", "--json"};
  command.insert(command.end(), extra.begin(), extra.end());
  command.insert(command.end(), uris.begin(), uris.end());
  const CommandResult result = runProgram("/usr/bin/env", command, std::filesystem::temp_directory_path(), 120.0);
  INFO(result.err);
  CHECK(result.exitStatus == expectedStatus);
  return nlohmann::json::parse(result.out);
}

}  // namespace

TEST_CASE("plugins check: eg-amp at its default 0 dB is safe and passes the -6 dBFS noise through at its peak") {
  if (!pluginInstalled(kEgAmp, "lv2-examples")) return;
  const nlohmann::json entries = checkJson({kEgAmp}, 0);
  REQUIRE(entries.size() == 1);
  const nlohmann::json& amp = entries[0];
  CHECK(amp.at("safe").get<bool>());
  CHECK(amp.at("problem").is_null());
  CHECK(amp.at("latency_frames") == 0);
  CHECK(amp.at("silence_peak_dbfs").is_null());  // silence in, silence out
  // Uniform noise of peak 0.5 over 49,000 samples comes within 0.01 dB of 20 log10(0.5).
  CHECK(std::abs(amp.at("noise_peak_dbfs").get<double>() - 20.0 * std::log10(0.5)) < 0.01);
}

TEST_CASE("plugins check: a latency-reporting limiter reports its latency, as lv2info says it has one") {
  if (!pluginInstalled(kX42LimiterMono, "x42-plugins")) return;
  const nlohmann::json entries = checkJson({kX42LimiterMono}, 0);
  CHECK(entries[0].at("safe").get<bool>());
  CHECK(entries[0].at("latency_frames").get<int>() > 0);
}

TEST_CASE("plugins check: a plugin that crashes or hangs is not safe (exit 1), named with the signal or the timeout") {
  const auto started = std::chrono::steady_clock::now();
  const nlohmann::json entries = checkJson({"http://mixdown.test/lv2/misbehaving#crash", "http://mixdown.test/lv2/misbehaving#hang",
                                            "http://mixdown.test/lv2/no-such-plugin"},
                                           1, {"--plugin-timeout-s", "1"});
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() < 30.0);
  REQUIRE(entries.size() == 3);
  for (const nlohmann::json& entry : entries) CHECK_FALSE(entry.at("safe").get<bool>());
  CHECK(entries[0].at("problem").get<std::string>().starts_with("crashed ("));
  CHECK(entries[1].at("problem") == "a call did not return within 1 s (--plugin-timeout-s)");
  CHECK(entries[2].at("problem").get<std::string>().starts_with("no installed LV2 plugin has this URI"));
}

}  // namespace mixdown::test
