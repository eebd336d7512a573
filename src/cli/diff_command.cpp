#include "mixdown/cli/diff_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "mixdown/analysis/compare_folders.h"
#include "mixdown/audio/decibels.h"
#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/render/report.h"
#include "mixdown/util/error.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using analysis::AudioComparison;

/** How one compared pair came out; the order is the order of the folder summary. */
enum class Verdict { Identical, WithinThreshold, Differ, OnlyInA, OnlyInB, Unreadable };

Verdict verdictOf(const AudioComparison& comparison, double thresholdDb) {
  if (comparison.identical()) return Verdict::Identical;
  return comparison.withinThreshold(thresholdDb) ? Verdict::WithinThreshold : Verdict::Differ;
}

const char* statusKey(Verdict verdict) {
  switch (verdict) {
    case Verdict::Identical:
      return "identical";
    case Verdict::WithinThreshold:
      return "within_threshold";
    case Verdict::Differ:
      return "differ";
    case Verdict::OnlyInA:
      return "only_in_a";
    case Verdict::OnlyInB:
      return "only_in_b";
    case Verdict::Unreadable:
      return "error";
  }
  return "error";
}

std::string formatted(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string counted(long long count, const char* what) { return std::to_string(count) + " " + what; }

json dbOrNull(const std::optional<double>& decibels) { return decibels ? render::roundedDb(*decibels) : json(nullptr); }

/** CLI.md's `diff --json` object, keys in its order. */
json comparisonJson(const std::string& pathA, const std::string& pathB, const AudioComparison& comparison) {
  return json{{"a", pathA},
              {"b", pathB},
              {"identical", comparison.identical()},
              {"max_abs_diff_dbfs", dbOrNull(comparison.maxAbsDiffDbfs())},
              {"residual_rms_dbfs", dbOrNull(comparison.residualRmsDbfs())},
              {"first_diff_frame", comparison.firstDiffFrame ? json(*comparison.firstDiffFrame) : json(nullptr)},
              {"loudness_diff_lu", dbOrNull(comparison.loudnessDiffLu())},
              {"length_diff_frames", comparison.lengthDiffFrames()}};
}

/** A residual level for people: one decimal, "-inf dBFS" for a zero residual. */
std::string residualText(double amplitude) {
  if (amplitude == 0.0) return "-inf dBFS";
  if (!std::isfinite(amplitude)) return "not finite";
  return formatted("%.1f dBFS", audio::gainToDb(amplitude));
}

/** "identical", or the verdict and what differs: shape, first difference, residual, loudness. */
std::string describe(const AudioComparison& comparison, double thresholdDb) {
  const Verdict verdict = verdictOf(comparison, thresholdDb);
  if (verdict == Verdict::Identical) return "identical";
  std::string text =
      verdict == Verdict::WithinThreshold ? "within " + formatted("%g", thresholdDb) + " dBFS threshold" : "differ";
  std::vector<std::string> details;
  const analysis::AudioShape& a = comparison.a;
  const analysis::AudioShape& b = comparison.b;
  if (a.frames != b.frames)
    details.push_back("lengths " + std::to_string(a.frames) + " vs " + std::to_string(b.frames) + " frames");
  if (a.channels != b.channels)
    details.push_back("channels " + std::to_string(a.channels) + " vs " + std::to_string(b.channels));
  if (a.sampleRateHz != b.sampleRateHz)
    details.push_back("sample rates " + std::to_string(a.sampleRateHz) + " vs " + std::to_string(b.sampleRateHz) +
                      " Hz");
  if (comparison.residualMeasured()) {
    if (comparison.firstDiffFrame) {
      const auto frame = *comparison.firstDiffFrame;
      details.push_back("first difference at " + formatted("%.6f", static_cast<double>(frame) / a.sampleRateHz) +
                        " s (frame " + std::to_string(frame) + ")");
      details.push_back("max |b - a| " + residualText(comparison.maxAbsDiff));
      details.push_back("residual RMS " + residualText(comparison.residualRms));
    } else {
      details.push_back("the common " + std::to_string(comparison.comparedFrames) + " frames are equal");
    }
  }
  const auto loudnessDiff = comparison.loudnessDiffLu();
  details.push_back("loudness " + (loudnessDiff ? formatted("%+.2f LU", *loudnessDiff) : std::string("-")));
  for (std::size_t index = 0; index < details.size(); ++index) text += (index == 0 ? ": " : ", ") + details[index];
  return text;
}

int exitStatusOf(Verdict verdict) {
  switch (verdict) {
    case Verdict::Identical:
    case Verdict::WithinThreshold:
      return kExitSuccess;
    case Verdict::Unreadable:
      return kExitUsage;
    default:
      return kExitFailure;
  }
}

int diffFiles(const DiffCommandOptions& options) {
  AudioComparison comparison;
  try {
    comparison = analysis::compareAudioFiles(options.pathA, options.pathB);
  } catch (const IoError& error) {
    printError(error.what());
    return kExitUsage;
  }
  if (options.json)
    std::cout << comparisonJson(options.pathA, options.pathB, comparison).dump(2) << '\n';
  else
    std::cout << printableText(options.pathA) << " vs " << printableText(options.pathB) << ": "
              << describe(comparison, options.thresholdDb) << '\n';
  return exitStatusOf(verdictOf(comparison, options.thresholdDb));
}

/** The entry of one file of a folder comparison: its verdict, its JSON object and its line for people. */
struct EntryResult {
  Verdict verdict = Verdict::Unreadable;
  json object;
  std::string line;
};

EntryResult compareEntry(const analysis::FolderEntry& entry, const std::string& pathA, const std::string& pathB,
                         const DiffCommandOptions& options) {
  EntryResult result;
  switch (entry.kind) {
    case analysis::FolderEntryKind::OnlyInA:
    case analysis::FolderEntryKind::OnlyInB: {
      const bool inA = entry.kind == analysis::FolderEntryKind::OnlyInA;
      result.verdict = inA ? Verdict::OnlyInA : Verdict::OnlyInB;
      result.object = json{{"a", inA ? json(pathA) : json(nullptr)}, {"b", inA ? json(nullptr) : json(pathB)}};
      result.object["identical"] = false;
      result.line = "only in " + (inA ? options.pathA : options.pathB);
      break;
    }
    case analysis::FolderEntryKind::Bytes: {
      const bool same = analysis::sameBytes(pathA, pathB);
      result.verdict = same ? Verdict::Identical : Verdict::Differ;
      result.object = json{{"a", pathA}, {"b", pathB}, {"identical", same}};
      result.line = same ? "identical" : "differ (not audio: compared byte for byte)";
      break;
    }
    case analysis::FolderEntryKind::Audio: {
      const AudioComparison comparison = analysis::compareAudioFiles(pathA, pathB);
      result.verdict = verdictOf(comparison, options.thresholdDb);
      result.object = comparisonJson(pathA, pathB, comparison);
      result.line = describe(comparison, options.thresholdDb);
      break;
    }
  }
  return result;
}

/** "12 files: 10 identical, 2 differ": the counts of the verdicts that occur. */
std::string summary(const std::vector<Verdict>& verdicts, const DiffCommandOptions& options) {
  const std::vector<std::pair<Verdict, std::string>> labels = {{Verdict::Identical, "identical"},
                                                               {Verdict::WithinThreshold, "within threshold"},
                                                               {Verdict::Differ, "differ"},
                                                               {Verdict::OnlyInA, "only in " + options.pathA},
                                                               {Verdict::OnlyInB, "only in " + options.pathB},
                                                               {Verdict::Unreadable, "unreadable"}};
  std::string text = counted(static_cast<long long>(verdicts.size()), verdicts.size() == 1 ? "file" : "files");
  const char* separator = ": ";
  for (const auto& [verdict, label] : labels) {
    const auto count = std::count(verdicts.begin(), verdicts.end(), verdict);
    if (count == 0) continue;
    text += separator + counted(count, label.c_str());
    separator = ", ";
  }
  return text;
}

int diffFolders(const DiffCommandOptions& options) {
  std::vector<analysis::FolderEntry> entries;
  try {
    entries = analysis::pairFolderFiles(options.pathA, options.pathB);
  } catch (const IoError& error) {
    printError(error.what());
    return kExitUsage;
  }
  json objects = json::array();
  std::vector<Verdict> verdicts;
  int status = kExitSuccess;
  for (const auto& entry : entries) {
    const std::string pathA = (fs::path(options.pathA) / entry.relativePath).generic_string();
    const std::string pathB = (fs::path(options.pathB) / entry.relativePath).generic_string();
    EntryResult result;
    try {
      result = compareEntry(entry, pathA, pathB, options);
    } catch (const IoError& error) {
      printError(error.what());
      result.object = json{{"a", pathA}, {"b", pathB}, {"error", error.what()}};
      result.line = "cannot be read (see the error above)";
    }
    verdicts.push_back(result.verdict);
    status = std::max(status, exitStatusOf(result.verdict));  // kExitUsage > kExitFailure > kExitSuccess
    json object{{"file", entry.relativePath}, {"status", statusKey(result.verdict)}};
    object.update(result.object);
    objects.push_back(std::move(object));
    if (!options.json) std::cout << printableText(entry.relativePath) << ": " << result.line << '\n';
  }
  if (options.json)
    std::cout << objects.dump(2) << '\n';
  else
    std::cout << printableText(options.pathA) << " vs " << printableText(options.pathB) << ": " << summary(verdicts, options)
              << '\n';
  return status;
}

}  // namespace

int runDiff(const DiffCommandOptions& options) {
  if (std::isnan(options.thresholdDb) || options.thresholdDb == std::numeric_limits<double>::infinity()) {
    printError("--threshold-db: must be a level in dBFS or -inf");
    return kExitUsage;
  }
  std::error_code ignored;
  const bool folderA = fs::is_directory(options.pathA, ignored);
  const bool folderB = fs::is_directory(options.pathB, ignored);
  if (folderA && folderB) return diffFolders(options);
  if (folderA != folderB) {
    const std::string& folder = folderA ? options.pathA : options.pathB;
    const std::string& file = folderA ? options.pathB : options.pathA;
    if (!fs::exists(file, ignored)) {
      printError("cannot open " + io::quotedPath(file) + ": no such file or folder");
    } else {
      printError(io::quotedPath(folder) + " is a folder but " + io::quotedPath(file) +
                 " is not: give two audio files or two folders");
    }
    return kExitUsage;
  }
  return diffFiles(options);
}

RegisteredCommand registerDiffCommand(CLI::App& app) {
  const auto options = std::make_shared<DiffCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "diff", "compare two audio files, or two render folders file by file: residual, first difference, loudness");
  command->add_option("A", options->pathA, "audio file or render folder")->required();
  command->add_option("B", options->pathB, "audio file or render folder")->required();
  command
      ->add_option("--threshold-db", options->thresholdDb,
                   "largest residual peak max |b - a| in dBFS still within the threshold (-inf: none)")
      ->capture_default_str();
  command->add_flag("--json", options->json, "print the comparison as JSON");
  return {command, [options] { return runDiff(*options); }};
}

}  // namespace mixdown::cli
