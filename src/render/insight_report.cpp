#include "mixdown/render/insight_report.h"

#include <algorithm>
#include <limits>

#include "mixdown/analysis/masking_json.h"
#include "mixdown/analysis/mix_profile.h"
#include "mixdown/analysis/reference_comparison_json.h"
#include "mixdown/io/audio_file_info.h"

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

}  // namespace mixdown::render
