#include "mixdown/cli/compare_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "mixdown/analysis/reference_comparison_json.h"
#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/io/audio_file_info.h"
#include "mixdown/io/output_commit.h"
#include "mixdown/io/text_output.h"
#include "mixdown/session/read_json.h"
#include "mixdown/util/error.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

namespace {

namespace fs = std::filesystem;

std::string figureText(const std::optional<double>& value, const char* unit) {
  if (!value) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", *value, unit);
  return text;
}

std::string differenceText(const std::optional<double>& value) {
  if (!value) return "    -  ";
  char text[32];
  std::snprintf(text, sizeof text, "%+6.1f ", *value);
  return text;
}

std::string bandName(const analysis::FrequencyBand& band) {
  char text[48];
  if (band.lowHz == 0.0) std::snprintf(text, sizeof text, "below %.0f Hz", band.highHz);
  else if (band.highHz >= 8000.0 && band.lowHz >= 8000.0) std::snprintf(text, sizeof text, "above %.0f Hz", band.lowHz);
  else std::snprintf(text, sizeof text, "%.0f-%.0f Hz", band.lowHz, band.highHz);
  return text;
}

void printComparison(const analysis::ReferenceComparison& comparison) {
  std::cout << printableText(comparison.mix) << " against ";
  if (comparison.references.size() == 1) std::cout << printableText(comparison.references.front());
  else std::cout << "the mean of " << comparison.references.size() << " references";
  char line[200];
  std::snprintf(line, sizeof line, ", loudness-matched (the mix is %+.1f LU against it)\n\n", comparison.loudnessOffsetLu);
  std::cout << line;
  const analysis::GlobalFigures& mix = comparison.mixGlobals;
  const analysis::GlobalFigures& target = comparison.targetGlobals;
  std::snprintf(line, sizeof line, "%-22s %14s %14s\n", "", "mix", "reference");
  std::cout << line;
  const auto row = [&](const char* name, const std::optional<double>& ours, const std::optional<double>& theirs, const char* unit) {
    std::snprintf(line, sizeof line, "%-22s %14s %14s\n", name, figureText(ours, unit).c_str(), figureText(theirs, unit).c_str());
    std::cout << line;
  };
  row("integrated loudness", mix.integratedLufs, target.integratedLufs, "LUFS");
  row("loudness range", mix.loudnessRangeLu, target.loudnessRangeLu, "LU");
  row("true peak", mix.truePeakDbtp, target.truePeakDbtp, "dBTP");
  row("PLR (peak/loudness)", mix.plrDb, target.plrDb, "dB");
  row("PSR (peak/short-term)", mix.psrDb, target.psrDb, "dB");
  row("mono fold-down", mix.monoFoldDownLu, target.monoFoldDownLu, "LU");
  std::cout << "\nbroad bands, mix minus reference (dB): mid, side, width, short-term level p10/p50/p90, crest\n";
  for (const analysis::BandComparison& band : comparison.broadBands) {
    std::snprintf(line, sizeof line, "  %-15s", bandName(band.band).c_str());
    std::cout << line << differenceText(band.midDiffDb) << differenceText(band.sideDiffDb) << differenceText(band.widthDiffDb)
              << differenceText(band.midP10DiffDb) << differenceText(band.midP50DiffDb) << differenceText(band.midP90DiffDb)
              << differenceText(band.crestDiffDb) << '\n';
  }
  std::cout << "\nthird octaves, mid minus reference (dB):\n";
  for (const analysis::BandComparison& band : comparison.thirdOctaves) {
    std::snprintf(line, sizeof line, "  %7g Hz ", analysis::nominalThirdOctaveHz(band.band.centreHz()));
    std::cout << line << differenceText(band.midDiffDb) << '\n';
  }
}

/** The bands every file can measure: up to the lowest Nyquist frequency of them (and of a saved target's bands). */
double commonTopHz(const CompareCommandOptions& options, const std::optional<analysis::ReferenceTarget>& saved) {
  std::vector<std::string> files = options.references;
  if (!options.mix.empty()) files.push_back(options.mix);
  double topHz = std::numeric_limits<double>::infinity();
  for (const std::string& file : files) topHz = std::min(topHz, io::probeAudioFile(file).sampleRate / 2.0);
  if (saved && !saved->broadBands.empty()) topHz = std::min(topHz, saved->broadBands.back().band.highHz);
  return topHz;
}

std::optional<analysis::ReferenceTarget> readTarget(const std::string& file) {
  session::Diagnostics diagnostics;
  const std::optional<nlohmann::json> document = session::readJsonFile(file, diagnostics);
  if (!document) {
    printDiagnostics(file, diagnostics, "target.invalid", file);
    return std::nullopt;
  }
  return analysis::targetFromJson(*document, file);
}

void saveTarget(const analysis::ReferenceTarget& target, const fs::path& file) {
  io::checkReplaceable(file);
  io::replaceTextFile(file, analysis::targetJson(target).dump(2) + "\n");
}

}  // namespace

int runCompare(const CompareCommandOptions& options) {
  if (options.references.empty() == options.targetFile.empty()) {
    printError("compare: give --reference (one or more) or --target, not both");
    return kExitUsage;
  }
  if (options.mix.empty() && options.saveTarget.empty()) {
    printError("compare: give the MIX to compare (or --save-target to only save the references' target)");
    return kExitUsage;
  }
  if (!options.targetFile.empty() && !options.saveTarget.empty()) {
    printError("compare: --save-target saves the target of --reference files; with --target there is nothing new to save");
    return kExitUsage;
  }
  try {
    std::optional<analysis::ReferenceTarget> target;
    if (!options.targetFile.empty()) {
      target = readTarget(options.targetFile);
      if (!target) return kExitFailure;
    }
    const double topHz = commonTopHz(options, target);
    const auto thirds = analysis::thirdOctaveBands(topHz);
    const auto broad = analysis::broadBands(topHz);
    if (!target) {
      std::vector<analysis::MixProfile> references;
      for (const std::string& file : options.references) references.push_back(analysis::profileOfFile(file, thirds, broad));
      target = analysis::targetOf(references);
    }
    if (!options.saveTarget.empty()) saveTarget(*target, options.saveTarget);
    if (options.mix.empty()) return kExitSuccess;
    const analysis::ReferenceComparison comparison =
        analysis::compareWithTarget(analysis::profileOfFile(options.mix, thirds, broad), *target);
    if (options.json) std::cout << analysis::comparisonJson(comparison).dump(2) << '\n';
    else printComparison(comparison);
    return kExitSuccess;
  } catch (const IoError& error) {
    printError(error.what());
    return error.transient() ? kExitTemporaryFailure : kExitFailure;
  } catch (const std::invalid_argument& error) {
    printError(std::string("cannot compare: ") + error.what());
    return kExitFailure;
  }
}

RegisteredCommand registerCompareCommand(CLI::App& app) {
  const auto options = std::make_shared<CompareCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "compare", "hold a mix against reference tracks, loudness-matched: spectra by band (mid and side), dynamics, width, "
                 "loudness, true peak, PLR");
  command->add_option("MIX", options->mix, "the mix (an audio file, mono or stereo)");
  command->add_option("-r,--reference", options->references, "a reference track (repeat it: several average into one target)")
      ->allow_extra_args(false);
  command->add_option("--target", options->targetFile, "a target saved by --save-target, instead of --reference files");
  command->add_option("--save-target", options->saveTarget, "save the references' target as JSON in FILE (replaced if it exists)");
  command->add_flag("--json", options->json, "print the comparison as JSON");
  return {command, [options] { return runCompare(*options); }};
}

}  // namespace mixdown::cli
