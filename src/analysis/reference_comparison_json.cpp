#include "mixdown/analysis/reference_comparison_json.h"

#include <cmath>
#include <limits>
#include <string>

#include "mixdown/analysis/measurement_json.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::analysis {

namespace {

using ordered = nlohmann::ordered_json;
using nlohmann::json;

constexpr int kTargetFormat = 1;

ordered globalsJson(const GlobalFigures& figures) {
  return ordered{{"integrated_lufs", roundedDbOrNull(figures.integratedLufs)},
                 {"loudness_range_lu", roundedDbOrNull(figures.loudnessRangeLu)},
                 {"true_peak_dbtp", roundedDbOrNull(figures.truePeakDbtp)},
                 {"plr_db", roundedDbOrNull(figures.plrDb)},
                 {"psr_db", roundedDbOrNull(figures.psrDb)},
                 {"mono_fold_down_lu", roundedDbOrNull(figures.monoFoldDownLu)}};
}

ordered comparedBandsJson(const std::vector<BandComparison>& bands, bool broad) {
  ordered array = ordered::array();
  for (const BandComparison& band : bands) {
    ordered entry{{"low_hz", std::round(band.band.lowHz * 10.0) / 10.0},
                  {"high_hz", std::round(band.band.highHz * 10.0) / 10.0},
                  {"mid_diff_db", roundedDbOrNull(band.midDiffDb)},
                  {"side_diff_db", roundedDbOrNull(band.sideDiffDb)},
                  {"width_diff_db", roundedDbOrNull(band.widthDiffDb)},
                  {"mid_p10_diff_db", roundedDbOrNull(band.midP10DiffDb)},
                  {"mid_p50_diff_db", roundedDbOrNull(band.midP50DiffDb)},
                  {"mid_p90_diff_db", roundedDbOrNull(band.midP90DiffDb)},
                  {"mix_mid_db", roundedDbOrNull(band.mix.midDb)},
                  {"target_mid_db", roundedDbOrNull(band.target.midDb)},
                  {"mix_correlation", roundedCorrelationOrNull(band.mix.correlation)},
                  {"target_correlation", roundedCorrelationOrNull(band.target.correlation)},
                  {"mix_mono_loss_db", roundedDbOrNull(band.mix.monoLossDb)},
                  {"target_mono_loss_db", roundedDbOrNull(band.target.monoLossDb)}};
    if (broad) {
      entry["crest_diff_db"] = roundedDbOrNull(band.crestDiffDb);
      entry["mix_crest_db"] = roundedDbOrNull(band.mix.crestDb);
      entry["target_crest_db"] = roundedDbOrNull(band.target.crestDb);
    }
    array.push_back(entry);
  }
  return array;
}

ordered targetBandsJson(const std::vector<BandProfile>& bands, bool broad) {
  ordered array = ordered::array();
  for (const BandProfile& band : bands) {
    const BandLevels& levels = band.levels;
    ordered entry{{"low_hz", band.band.lowHz},
                  {"high_hz", band.band.highHz},
                  {"mid_db", roundedDbOrNull(levels.midDb)},
                  {"side_db", roundedDbOrNull(levels.sideDb)},
                  {"mid_p10_db", roundedDbOrNull(levels.midP10Db)},
                  {"mid_p50_db", roundedDbOrNull(levels.midP50Db)},
                  {"mid_p90_db", roundedDbOrNull(levels.midP90Db)},
                  {"correlation", roundedCorrelationOrNull(levels.correlation)},
                  {"mono_loss_db", roundedDbOrNull(levels.monoLossDb)}};
    if (broad) entry["crest_db"] = roundedDbOrNull(levels.crestDb);
    array.push_back(entry);
  }
  return array;
}

/** Reads a target file's values, naming the file and the JSON pointer of what is wrong. */
class TargetReader {
public:
  explicit TargetReader(const std::filesystem::path& path) : path_(path) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& problem) const {
    throw IoError("cannot read the target " + io::quotedPath(path_) + ": " + (pointer.empty() ? "/" : pointer) + ": " + problem);
  }

  const json& member(const json& object, const std::string& pointer, const char* key) const {
    if (!object.is_object()) fail(pointer, "expected an object");
    const auto found = object.find(key);
    if (found == object.end()) fail(pointer, std::string("\"") + key + "\" is missing");
    return *found;
  }

  const json& array(const json& object, const std::string& pointer, const char* key) const {
    const json& value = member(object, pointer, key);
    if (!value.is_array()) fail(pointer + "/" + key, "expected an array");
    return value;
  }

  /** A number; null (a band with no power, a figure that does not exist) reads as absent. */
  std::optional<double> optionalNumber(const json& object, const std::string& pointer, const char* key) const {
    const json& value = member(object, pointer, key);
    if (value.is_null()) return std::nullopt;
    if (!value.is_number()) fail(pointer + "/" + key, "expected a number or null");
    return value.get<double>();
  }

  double level(const json& object, const std::string& pointer, const char* key) const {
    return optionalNumber(object, pointer, key).value_or(-std::numeric_limits<double>::infinity());
  }

  GlobalFigures globals(const json& document) const {
    const json& loudness = member(document, "", "loudness");
    GlobalFigures figures;
    figures.integratedLufs = optionalNumber(loudness, "/loudness", "integrated_lufs");
    if (!figures.integratedLufs) fail("/loudness/integrated_lufs", "expected a number");
    figures.loudnessRangeLu = optionalNumber(loudness, "/loudness", "loudness_range_lu");
    figures.truePeakDbtp = optionalNumber(loudness, "/loudness", "true_peak_dbtp");
    figures.plrDb = optionalNumber(loudness, "/loudness", "plr_db");
    figures.psrDb = optionalNumber(loudness, "/loudness", "psr_db");
    figures.monoFoldDownLu = optionalNumber(loudness, "/loudness", "mono_fold_down_lu");
    return figures;
  }

  std::vector<BandProfile> bands(const json& document, const char* key, bool broad) const {
    std::vector<BandProfile> bands;
    const json& entries = array(document, "", key);
    for (size_t i = 0; i < entries.size(); ++i) {
      const std::string pointer = std::string("/") + key + "/" + std::to_string(i);
      const json& entry = entries[i];
      BandProfile band;
      const auto low = optionalNumber(entry, pointer, "low_hz");
      const auto high = optionalNumber(entry, pointer, "high_hz");
      if (!low || !high || *low < 0.0 || *high <= *low) fail(pointer, "expected 0 <= low_hz < high_hz");
      if (!bands.empty() && *low <= bands.back().band.lowHz) fail(pointer + "/low_hz", "bands must rise in frequency");
      band.band = {*low, *high};
      band.levels.midDb = level(entry, pointer, "mid_db");
      band.levels.sideDb = level(entry, pointer, "side_db");
      band.levels.midP10Db = level(entry, pointer, "mid_p10_db");
      band.levels.midP50Db = level(entry, pointer, "mid_p50_db");
      band.levels.midP90Db = level(entry, pointer, "mid_p90_db");
      band.levels.correlation = optionalNumber(entry, pointer, "correlation");
      band.levels.monoLossDb = optionalNumber(entry, pointer, "mono_loss_db");
      if (broad) band.levels.crestDb = optionalNumber(entry, pointer, "crest_db");
      bands.push_back(band);
    }
    return bands;
  }

private:
  std::filesystem::path path_;
};

}  // namespace

ordered comparisonJson(const ReferenceComparison& comparison) {
  return ordered{{"loudness_offset_lu", roundedDbOrNull(comparison.loudnessOffsetLu)},
                 {"bands", comparedBandsJson(comparison.thirdOctaves, false)},
                 {"broad_bands", comparedBandsJson(comparison.broadBands, true)},
                 {"mix", comparison.mix},
                 {"references", comparison.references},
                 {"mix_loudness", globalsJson(comparison.mixGlobals)},
                 {"target_loudness", globalsJson(comparison.targetGlobals)}};
}

ordered targetJson(const ReferenceTarget& target) {
  return ordered{{"mixdown_target", kTargetFormat},
                 {"references", target.references},
                 {"loudness", globalsJson(target.globals)},
                 {"bands", targetBandsJson(target.thirdOctaves, false)},
                 {"broad_bands", targetBandsJson(target.broadBands, true)}};
}

ReferenceTarget targetFromJson(const json& document, const std::filesystem::path& path) {
  const TargetReader reader(path);
  const json& format = reader.member(document, "", "mixdown_target");
  if (format != kTargetFormat) reader.fail("/mixdown_target", "expected 1 (the format this mixdown writes)");
  ReferenceTarget target;
  const json& references = reader.array(document, "", "references");
  for (size_t i = 0; i < references.size(); ++i) {
    if (!references[i].is_string()) reader.fail("/references/" + std::to_string(i), "expected a string");
    target.references.push_back(references[i].get<std::string>());
  }
  target.globals = reader.globals(document);
  target.thirdOctaves = reader.bands(document, "bands", false);
  target.broadBands = reader.bands(document, "broad_bands", true);
  return target;
}

}  // namespace mixdown::analysis
