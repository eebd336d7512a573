#include "mixdown/cli/analyze_masking_command.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "mixdown/analysis/masking_json.h"
#include "mixdown/analysis/masking_of_files.h"
#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/util/error.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

namespace {

std::string percent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * fraction);
  return text;
}

std::string maskersText(const analysis::MaskingResult& result, const analysis::MaskingFigures& figures) {
  std::string text;
  for (const analysis::MaskerShare& masker : figures.maskers) {
    if (!text.empty()) text.append(", ");
    text.append(printableText(result.tracks[static_cast<size_t>(masker.track)].track)).append(" ").append(percent(masker.share));
  }
  return text;
}

void printTrack(const analysis::MaskingResult& result, const analysis::TrackMasking& track) {
  char line[160];
  std::snprintf(line, sizeof line, ": audible %.2f s, masked %s of it", track.overall.audibleS,
                percent(track.overall.maskedFraction).c_str());
  std::cout << printableText(track.track) << line;
  if (track.overall.medianMsrDb) {
    std::snprintf(line, sizeof line, " (median masker-to-signal ratio %+.1f dB)", *track.overall.medianMsrDb);
    std::cout << line;
  }
  std::cout << '\n';
  if (track.overall.maskers.empty()) return;
  std::cout << "  masked by " << maskersText(result, track.overall) << '\n';
  for (int r = 0; r < analysis::kMaskingRegionCount; ++r) {
    const analysis::MaskingFigures& region = track.regions[r];
    if (region.maskers.empty()) continue;
    std::snprintf(line, sizeof line, "  %-9s %5.0f-%-5.0f Hz: %6s of %.2f s, by ", analysis::kMaskingRegions[r].name,
                  analysis::kMaskingRegions[r].lowHz, analysis::kMaskingRegions[r].highHz,
                  percent(region.maskedFraction).c_str(), region.audibleS);
    std::cout << line << maskersText(result, region) << '\n';
  }
  std::cout << "  worst:";
  for (const analysis::MaskedRange& range : track.overall.worstRanges) {
    std::snprintf(line, sizeof line, " %.2f-%.2f s", range.startS, range.endS);
    std::cout << line;
  }
  std::cout << '\n';
}

}  // namespace

int runAnalyzeMasking(const std::vector<std::string>& files, bool asJson) {
  analysis::MaskingResult result;
  try {
    result = analysis::analyseMaskingOfFiles(std::vector<std::filesystem::path>(files.begin(), files.end()));
  } catch (const IoError& error) {
    printError(error.what());
    return kExitFailure;
  } catch (const std::invalid_argument& error) {
    printError(std::string("cannot analyse masking: ") + error.what());
    return kExitFailure;
  }
  if (asJson) {
    const nlohmann::ordered_json document{{"bands", analysis::maskingBandsJson(result)},
                                          {"masking", analysis::maskingJson(result, std::nullopt)}};
    std::cout << document.dump(2) << '\n';
    return kExitSuccess;
  }
  for (size_t t = 0; t < result.tracks.size(); ++t) {
    if (t > 0) std::cout << '\n';
    printTrack(result, result.tracks[t]);
  }
  return kExitSuccess;
}

}  // namespace mixdown::cli
