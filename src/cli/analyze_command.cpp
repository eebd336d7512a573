#include "mixdown/cli/analyze_command.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "mixdown/analysis/analyze_file.h"
#include "mixdown/cli/analyze_masking_command.h"
#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/analysis/measurement_json.h"
#include "mixdown/audio/decibels.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

namespace {

using json = nlohmann::ordered_json;

/** The keys of CLI.md's `analyze --json`, in its order. */
json measurementJson(const std::string& file, const analysis::AudioMeasurement& measured) {
  json entry{{"file", file},
             {"channels", measured.channels},
             {"sample_rate", measured.sampleRateHz},
             {"frames", measured.frames},
             {"duration_s", measured.durationS()}};
  analysis::addLoudnessFields(entry, measured.loudness);
  entry["sample_peak_dbfs"] = analysis::roundedDbOrNull(measured.statistics.samplePeakDbfs);
  entry["rms_dbfs"] = analysis::roundedDbOrNull(measured.statistics.rmsDbfs);
  analysis::addBalanceFields(entry, measured.statistics);
  entry["non_finite_samples"] = measured.statistics.nonFiniteSamples;
  return entry;
}

std::string formatted(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

/** A level with two decimals and its unit, or "-" for a figure that does not exist (silence, too short, not stereo). */
std::string levelText(const std::optional<double>& value, const char* unit) {
  return value ? formatted("%8.2f ", *value) + unit : std::string(7, ' ') + "-";
}

void printRow(const char* label, const std::string& value) {
  char text[64];
  std::snprintf(text, sizeof text, "  %-22s ", label);
  std::cout << text << value << '\n';
}

void printTable(const std::string& file, const analysis::AudioMeasurement& measured) {
  const analysis::LoudnessMeasurement& loudness = measured.loudness;
  const analysis::SignalStatistics& statistics = measured.statistics;
  char heading[160];
  std::snprintf(heading, sizeof heading, ": %d channel%s, %d Hz, %.3f s (%lld frames)", measured.channels,
                measured.channels == 1 ? "" : "s", measured.sampleRateHz, measured.durationS(),
                static_cast<long long>(measured.frames));
  std::cout << printableText(file) << heading << '\n';
  printRow("integrated loudness", levelText(loudness.integratedLufs, "LUFS"));
  printRow("loudness range", levelText(loudness.loudnessRangeLu, "LU"));
  printRow("max momentary", levelText(loudness.maxMomentaryLufs, "LUFS"));
  printRow("max short-term", levelText(loudness.maxShortTermLufs, "LUFS"));
  printRow("true peak", levelText(loudness.truePeakDbtp, "dBTP"));
  printRow("sample peak", levelText(statistics.samplePeakDbfs, "dBFS"));
  printRow("RMS", levelText(statistics.rmsDbfs, "dBFS"));
  if (statistics.dcOffset) {
    const double dcOffset = *statistics.dcOffset;
    std::string text = formatted("%+.7f", dcOffset);
    // A level only where the printed digits show an offset.
    if (std::abs(dcOffset) >= 0.5e-7)
      text += formatted(" (%.1f dBFS)", audio::gainToDb(std::abs(dcOffset)));
    printRow("DC offset", text);
  }
  if (measured.channels == 2) {
    printRow("stereo correlation",
             statistics.correlation ? formatted("%8.4f", *statistics.correlation) : std::string(7, ' ') + "-");
    std::string foldDown = levelText(loudness.monoFoldDownLufs, "LUFS");
    if (loudness.monoFoldDownLufs && loudness.integratedLufs)
      foldDown += formatted(" (%+.2f LU against stereo)", *loudness.monoFoldDownLufs - *loudness.integratedLufs);
    printRow("mono fold-down", foldDown);
  }
  printRow("non-finite samples", formatted("%.0f", static_cast<double>(statistics.nonFiniteSamples)));
}

}  // namespace

int runAnalyze(const std::vector<std::string>& files, bool asJson) {
  int status = kExitSuccess;
  json entries = json::array();
  bool first = true;
  for (const auto& file : files) {
    analysis::AudioMeasurement measured;
    try {
      measured = analysis::measureAudioFile(file);
    } catch (const IoError& error) {
      printError(error.what());
      status = kExitFailure;
      continue;
    }
    if (measured.statistics.nonFiniteSamples > 0)
      printWarning(io::quotedPath(file) + " holds " + std::to_string(measured.statistics.nonFiniteSamples) +
                   " non-finite samples (NaN or infinite): its other figures do not describe it");
    if (asJson) {
      entries.push_back(measurementJson(file, measured));
    } else {
      if (!first) std::cout << '\n';
      printTable(file, measured);
      first = false;
    }
  }
  if (asJson) std::cout << entries.dump(2) << '\n';
  return status;
}

RegisteredCommand registerAnalyzeCommand(CLI::App& app) {
  struct Options {
    std::vector<std::string> files;
    bool json = false;
    bool masking = false;
  };
  const auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("analyze", "measure audio files: loudness, loudness range, true peak, RMS, DC offset, correlation");
  command->add_option("FILE", options->files, "audio files")->required();
  command->add_flag("--json", options->json, "print a JSON array with one object per file");
  command->add_flag("--masking", options->masking,
                    "take the files as the stems of one mix and measure how they mask each other");
  return {command, [options] {
            return options->masking ? runAnalyzeMasking(options->files, options->json)
                                    : runAnalyze(options->files, options->json);
          }};
}

}  // namespace mixdown::cli
