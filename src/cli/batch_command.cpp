#include "mixdown/cli/batch_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <tuple>

#include "mixdown/cli/batch_entries.h"
#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/io/text_output.h"
#include "mixdown/util/error.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

namespace {

using json = nlohmann::ordered_json;

struct CollectOptions {
  std::vector<std::string> results;
  std::optional<std::string> manifest;
  std::optional<std::string> merged;  // -o FILE
  std::optional<std::string> shard;   // --shard K/N and --stride S: the split the tasks used, to name those to re-run
  std::optional<int> stride;
};

/** The entry a results line belongs to, as the manifest would name it. */
BatchEntry entryOfLine(const json& line) {
  BatchEntry entry;
  entry.session = line.at("session").get<std::string>();
  if (line.contains("options")) entry.words = line.at("options").get<std::vector<std::string>>();
  return entry;
}

/** One render's chosen line, and in how many lines (of any file) it succeeded. */
struct Render {
  json line;
  int successes = 0;
  std::size_t file = 0;  // which results file the line came from
};

struct Collected {
  std::vector<std::string> order;                                   // entry keys as first seen
  std::map<std::string, std::map<std::string, Render>> renders;     // entry key -> variant ("" main) -> render
  std::map<std::string, std::string> names;                         // entry key -> its session as written
  bool unreadable = false;                                          // a results file could not be opened
};

/** Reads one results file into collected; problems printed (a line that is not a result is a warning: its render is then missing). */
void readResults(const std::string& file, std::size_t fileNumber, Collected& collected) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    printError(file + ": cannot open the results file");
    collected.unreadable = true;
    return;
  }
  std::string text;
  for (long number = 1; std::getline(in, text); ++number) {
    const std::string where = file + ":" + std::to_string(number);
    if (text.empty()) continue;
    json line;
    try {
      line = json::parse(text);
      if (!line.is_object() || !line.at("session").is_string() || !line.at("exit_status").is_number_integer() ||
          !(line.at("variant").is_null() || line.at("variant").is_string()))
        throw std::invalid_argument("not a results line");
    } catch (const std::exception&) {
      // Its render then counts as missing: the warning says why.
      printWarning(where + ": not a results line (a writer stopped mid-line?): ignored");
      continue;
    }
    const BatchEntry entry = entryOfLine(line);
    const std::string key = entryKey(entry);
    if (!collected.renders.count(key)) collected.order.push_back(key);
    collected.names[key] = entry.session;
    Render& render = collected.renders[key][line.at("variant").is_null() ? "" : line.at("variant").get<std::string>()];
    const bool succeeded = line.at("exit_status") == 0;
    render.successes += succeeded ? 1 : 0;
    // A later line of the same file wins (a retry); across files a failure never replaces a success.
    if (render.line.is_null() || render.file == fileNumber || succeeded || render.line.at("exit_status") != 0) {
      render.line = std::move(line);
      render.file = fileNumber;
    }
  }
}

std::string renderName(const std::string& session, const std::string& variant) {
  return variant.empty() ? session : session + " [" + variant + "]";
}

int runCollect(const CollectOptions& options) {
  std::vector<std::string> expected;  // entry keys of the manifest, in its order
  std::map<std::string, int> taskOf;  // entry key -> the task index that renders it (with --stride)
  if (options.manifest) {
    try {
      const std::vector<BatchEntry> entries = readManifest(*options.manifest);
      for (const BatchEntry& entry : entries) expected.push_back(entryKey(entry));
      if (options.stride) {
        Selection selection;
        selection.stride = *options.stride;
        if (options.shard) std::tie(selection.shard, selection.shards) = parseShard(*options.shard);
        const std::vector<int> indexes = taskIndexes(entries, selection);
        for (std::size_t at = 0; at < entries.size(); ++at) taskOf[expected[at]] = indexes[at];
      }
    } catch (const std::exception& error) {  // ManifestError, or the --shard parseShard refused
      printError(error.what());
      return kExitUsage;
    }
  } else if (options.stride || options.shard) {
    printError("--stride and --shard need the --manifest the tasks rendered");
    return kExitUsage;
  }
  std::set<int> rerun;  // tasks with a render missing or failed in a way a retry may cure
  const auto retry = [&](const std::string& key) {
    const auto task = taskOf.find(key);
    if (task != taskOf.end() && task->second >= 0) rerun.insert(task->second);
  };
  Collected collected;
  for (std::size_t at = 0; at < options.results.size(); ++at) readResults(options.results[at], at, collected);

  std::vector<std::string> order = options.manifest ? expected : collected.order;
  const std::set<std::string> listed(expected.begin(), expected.end());
  if (options.manifest)
    for (const std::string& key : collected.order)
      if (!listed.count(key)) {
        printWarning(printableText(collected.names[key]) + ": has results but is not in " + *options.manifest);
        order.push_back(key);
      }
  json merged = json::array();
  int ok = 0;
  std::vector<std::string> failed;
  std::vector<std::string> missing;
  int repeated = 0;
  for (const std::string& key : order) {
    const auto found = collected.renders.find(key);
    if (found == collected.renders.end()) {
      std::string shown = key;  // the session and its line's options, space-separated
      std::replace(shown.begin(), shown.end(), '\0', ' ');
      missing.push_back(shown);
      retry(key);
      continue;
    }
    int renders = 0;
    for (const auto& [variant, render] : found->second) {
      renders = std::max(renders, render.line.value("renders", 0));
      merged.push_back(render.line);
      if (render.successes > 1) ++repeated;
      const int exitStatus = render.line.at("exit_status").get<int>();
      if (exitStatus == kExitSuccess) {
        ++ok;
        continue;
      }
      if (exitStatus == kExitTemporaryFailure || exitStatus > 128) retry(key);
      failed.push_back(renderName(collected.names[key], variant) + ": " + render.line.value("status", "failed") + " (exit " +
                       std::to_string(render.line.at("exit_status").get<int>()) + ")" +
                       (render.line.contains("error") ? ": " + render.line.value("error", "") : ""));
    }
    if (static_cast<int>(found->second.size()) < renders) {
      missing.push_back(collected.names[key] + " (" + std::to_string(found->second.size()) + " of its " + std::to_string(renders) +
                        " renders)");
      retry(key);
    }
  }
  if (options.merged) {
    std::string text;
    for (const json& line : merged) text += line.dump(-1, ' ', true, json::error_handler_t::replace) + '\n';
    try {
      io::replaceTextFile(*options.merged, text);
    } catch (const IoError& error) {
      printError(error.what());
      return error.transient() ? kExitTemporaryFailure : kExitFailure;
    }
  }
  std::cout << "collect: " << merged.size() << " render" << (merged.size() == 1 ? "" : "s") << " of " << order.size()
            << " session" << (order.size() == 1 ? "" : "s") << ": " << ok << " ok, " << failed.size() << " failed, "
            << missing.size() << " missing";
  if (repeated) std::cout << "; " << repeated << " rendered successfully more than once";
  std::cout << '\n';
  for (const std::string& line : failed) std::cout << "failed: " << printableText(line) << '\n';
  for (const std::string& line : missing) std::cout << "missing: " << printableText(line) << '\n';
  if (!rerun.empty()) {
    std::cout << "re-run tasks:";
    char separator = ' ';
    for (const int task : rerun) {
      std::cout << separator << task;
      separator = ',';
    }
    std::cout << '\n';
  }
  return failed.empty() && missing.empty() && !collected.unreadable ? kExitSuccess : kExitFailure;
}

}  // namespace

RegisteredCommand registerBatchCommand(CLI::App& app) {
  const auto options = std::make_shared<CollectOptions>();
  CLI::App* command = app.add_subcommand("batch", "batches over many machines: batch collect merges their results");
  command->require_subcommand(1);
  CLI::App* collect =
      command->add_subcommand("collect", "merge the results files of a batch's tasks; say what failed and what is missing");
  collect->add_option("RESULTS", options->results, "results files (render --results)")->required();
  collect->add_option("--manifest", options->manifest, "FILE: the batch's manifest, to find the sessions with no result");
  collect->add_option("-o,--output", options->merged, "FILE: write the merged results, one line per render");
  collect->add_option("--shard", options->shard, "K/N: the shard the tasks split (with --stride)");
  collect->add_option("--stride", options->stride, "S: the tasks' --stride: list the task indexes to re-run")
      ->check(CLI::Range(1, 1000000000));
  return {command, [options] { return runCollect(*options); }};
}

}  // namespace mixdown::cli
