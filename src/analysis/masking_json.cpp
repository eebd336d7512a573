#include "mixdown/analysis/masking_json.h"

#include <cmath>
#include <cstdio>

namespace mixdown::analysis {

namespace {

using json = nlohmann::ordered_json;

/** value to a multiple of step (a power of ten), as the double nearest that decimal. */
double rounded(double value, double step) { return std::round(value / step) / std::round(1.0 / step); }

json figuresJson(const MaskingResult& result, const MaskingFigures& figures, const std::optional<BeatGrid>& grid) {
  json entry;
  entry["masked_fraction"] = rounded(figures.maskedFraction, 0.001);
  json maskers = json::array();
  for (const MaskerShare& masker : figures.maskers)
    maskers.push_back({{"track", result.tracks[static_cast<size_t>(masker.track)].track},
                       {"share", rounded(masker.share, 0.001)}});
  entry["maskers"] = std::move(maskers);
  entry["audible_s"] = rounded(figures.audibleS, 0.01);
  entry["median_msr_db"] = figures.medianMsrDb ? json(rounded(*figures.medianMsrDb, 0.1)) : json(nullptr);
  json ranges = json::array();
  for (const MaskedRange& range : figures.worstRanges) {
    json item{{"start_s", rounded(range.startS, 0.01)},
              {"end_s", rounded(range.endS, 0.01)},
              {"masked_s", rounded(range.maskedS, 0.01)}};
    if (grid) {
      item["start_bar_beat"] = barBeatText(range.startS, *grid);
      item["end_bar_beat"] = barBeatText(range.endS, *grid);
    }
    ranges.push_back(std::move(item));
  }
  entry["worst_ranges"] = std::move(ranges);
  return entry;
}

}  // namespace

std::string barBeatText(double seconds, const BeatGrid& grid) {
  const double beats = rounded(seconds * grid.bpm / 60.0, 0.01);
  const auto bar = static_cast<long long>(std::floor(beats / grid.beatsPerBar + 1e-9));
  const double beat = beats - static_cast<double>(bar * grid.beatsPerBar) + 1.0;
  char text[48];
  std::snprintf(text, sizeof text, "%lld:%.4g", bar + 1, rounded(beat, 0.01));
  return text;
}

json maskingJson(const MaskingResult& result, const std::optional<BeatGrid>& grid) {
  json entries = json::array();
  for (const TrackMasking& track : result.tracks) {
    json entry{{"track", track.track}};
    entry.update(figuresJson(result, track.overall, grid));
    json regions = json::array();
    for (int r = 0; r < kMaskingRegionCount; ++r) {
      json region{{"region", kMaskingRegions[r].name},
                  {"low_hz", kMaskingRegions[r].lowHz},
                  {"high_hz", kMaskingRegions[r].highHz}};
      region.update(figuresJson(result, track.regions[r], grid));
      regions.push_back(std::move(region));
    }
    entry["regions"] = std::move(regions);
    json bands = json::array();
    for (const auto& fraction : track.bandMaskedFraction)
      bands.push_back(fraction ? json(rounded(*fraction, 0.001)) : json(nullptr));
    entry["band_masked_fraction"] = std::move(bands);
    entries.push_back(std::move(entry));
  }
  return entries;
}

json maskingBandsJson(const MaskingResult& result) {
  json bands = json::array();
  for (const FrequencyBand& band : result.bands)
    bands.push_back({{"low_hz", rounded(band.lowHz, 0.1)}, {"high_hz", rounded(band.highHz, 0.1)}});
  return bands;
}

}  // namespace mixdown::analysis
