#include "mixdown/render/insight_report.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "mixdown/analysis/masking_json.h"
#include "mixdown/analysis/mix_profile.h"
#include "mixdown/analysis/reference_comparison_json.h"
#include "mixdown/io/audio_file_info.h"
#include "mixdown/session/validate.h"

namespace mixdown::render {

using json = nlohmann::ordered_json;

analysis::ReferenceComparison compareMixWithReferences(const session::Session& session, const std::filesystem::path& mixFile,
                                                       const std::string& mixName) {
  double topHz = io::probeAudioFile(mixFile).sampleRate / 2.0;
  for (const session::Reference& reference : session.references)
    topHz = std::min(topHz, io::probeAudioFile(reference.file).sampleRate / 2.0);
  const auto thirds = analysis::thirdOctaveBands(topHz);
  const auto broad = analysis::broadBands(topHz);
  std::vector<analysis::MixProfile> references;
  for (const session::Reference& reference : session.references) {
    references.push_back(analysis::profileOfFile(reference.file, thirds, broad));
    references.back().name = reference.fileAsWritten;
  }
  analysis::MixProfile mix = analysis::profileOfFile(mixFile, thirds, broad);
  mix.name = mixName;
  return analysis::compareWithTarget(mix, analysis::targetOf(references));
}

json insightSection(const session::Session& session, const std::optional<analysis::MaskingResult>& masking,
                    const std::optional<analysis::ReferenceComparison>& comparison,
                    const std::optional<std::string>& comparisonSkipped) {
  json section = json::object();
  if (masking) {
    std::optional<analysis::BeatGrid> grid;
    if (session.tempo) grid = analysis::BeatGrid{session.tempo->bpm, session.tempo->beatsPerBar};
    section["masking"] = analysis::maskingJson(*masking, grid);
    section["masking_bands"] = analysis::maskingBandsJson(*masking);
  }
  if (comparison) section["references"] = analysis::comparisonJson(*comparison);
  else if (comparisonSkipped) section["references_skipped"] = *comparisonSkipped;
  return section;
}

void addInsightWarnings(const session::Session& session, const std::optional<analysis::MaskingResult>& masking,
                        const std::optional<analysis::ReferenceComparison>& comparison, RenderWarnings& warnings) {
  if (masking) {
    for (const session::MaskingLimit& limit : session.insight.maskingLimits) {
      for (const analysis::TrackMasking& track : masking->tracks) {
        if (track.track != limit.track) continue;
        const analysis::MaskingFigures* figures = &track.overall;
        for (int r = 0; r < analysis::kMaskingRegionCount; ++r)
          if (limit.region == analysis::kMaskingRegions[r].name) figures = &track.regions[r];
        if (figures->maskedFraction <= limit.maxMaskedFraction) continue;
        std::string message = "track \"" + track.track + "\" is masked " + session::formatNumber(figures->maskedFraction * 100.0) +
                              "% of its audible time" + (limit.region.empty() ? std::string() : " in the " + limit.region + " region") +
                              ", above the limit of " + session::formatNumber(limit.maxMaskedFraction * 100.0) + "%";
        if (!figures->maskers.empty())
          message += " (mostly by \"" + masking->tracks[static_cast<size_t>(figures->maskers.front().track)].track + "\")";
        warnings.add(warning_code::kMaskingLimit, limit.pointer, message);
      }
    }
  }
  if (comparison && session.insight.referenceToleranceDb) {
    const double tolerance = *session.insight.referenceToleranceDb;
    for (const analysis::BandComparison& band : comparison->broadBands) {
      if (!band.midDiffDb || std::abs(*band.midDiffDb) <= tolerance) continue;
      warnings.add(warning_code::kReferenceTolerance, "/insight/reference_tolerance_db",
                   "the mix is " + session::formatNumber(std::round(*band.midDiffDb * 100.0) / 100.0) + " dB against the references in " +
                       session::formatNumber(band.band.lowHz) + "-" + session::formatNumber(band.band.highHz) +
                       " Hz (loudness-matched), beyond the tolerance of " + session::formatNumber(tolerance) + " dB");
    }
  }
}

}  // namespace mixdown::render
