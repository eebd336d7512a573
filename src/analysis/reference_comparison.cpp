#include "mixdown/analysis/reference_comparison.h"

#include <cmath>
#include <functional>
#include <stdexcept>

namespace mixdown::analysis {

namespace {

std::optional<double> difference(std::optional<double> a, std::optional<double> b) {
  if (!a || !b || !std::isfinite(*a) || !std::isfinite(*b)) return std::nullopt;
  return *a - *b;
}

/** The levels of a band relative to loudnessLufs (the dB levels shifted; ratios kept). */
BandLevels relativeTo(const BandLevels& levels, double loudnessLufs) {
  BandLevels relative = levels;
  relative.midDb -= loudnessLufs;
  relative.sideDb -= loudnessLufs;
  relative.midP10Db -= loudnessLufs;
  relative.midP50Db -= loudnessLufs;
  relative.midP90Db -= loudnessLufs;
  return relative;
}

/** The mean of the values present; null when none is. */
std::optional<double> meanOf(const std::vector<std::optional<double>>& values) {
  double sum = 0.0;
  int count = 0;
  for (const auto& value : values)
    if (value) {
      sum += *value;
      ++count;
    }
  return count ? std::optional<double>(sum / count) : std::nullopt;
}

/** Band by band, the mean of the references' relative levels (bands as the first reference's). */
std::vector<BandProfile> averageBands(const std::vector<MixProfile>& references,
                                      const std::function<const std::vector<BandProfile>&(const MixProfile&)>& bandsOf) {
  std::vector<BandProfile> averaged = bandsOf(references.front());
  for (size_t b = 0; b < averaged.size(); ++b) {
    std::vector<BandLevels> relative;
    for (const MixProfile& reference : references)
      relative.push_back(relativeTo(bandsOf(reference)[b].levels, *reference.loudness.integratedLufs));
    const auto mean = [&](double BandLevels::*member) {
      double sum = 0.0;
      for (const BandLevels& levels : relative) sum += levels.*member;
      return sum / static_cast<double>(relative.size());
    };
    const auto meanPresent = [&](std::optional<double> BandLevels::*member) {
      std::vector<std::optional<double>> values;
      for (const BandLevels& levels : relative) values.push_back(levels.*member);
      return meanOf(values);
    };
    BandLevels& levels = averaged[b].levels;
    levels.midDb = mean(&BandLevels::midDb);
    levels.sideDb = mean(&BandLevels::sideDb);
    levels.midP10Db = mean(&BandLevels::midP10Db);
    levels.midP50Db = mean(&BandLevels::midP50Db);
    levels.midP90Db = mean(&BandLevels::midP90Db);
    levels.correlation = meanPresent(&BandLevels::correlation);
    levels.monoLossDb = meanPresent(&BandLevels::monoLossDb);
    levels.crestDb = meanPresent(&BandLevels::crestDb);
  }
  return averaged;
}

std::vector<BandComparison> compareBands(const std::vector<BandProfile>& mix, double mixLufs,
                                         const std::vector<BandProfile>& target) {
  std::vector<BandComparison> compared;
  for (const BandProfile& ours : mix) {
    const BandProfile* theirs = nullptr;
    for (const BandProfile& candidate : target)
      if (candidate.band.lowHz == ours.band.lowHz) theirs = &candidate;
    if (theirs == nullptr) continue;
    BandComparison band{ours.band, relativeTo(ours.levels, mixLufs), theirs->levels, {}, {}, {}, {}, {}, {}, {}};
    band.midDiffDb = difference(band.mix.midDb, band.target.midDb);
    band.sideDiffDb = difference(band.mix.sideDb, band.target.sideDb);
    const auto mixWidth = difference(band.mix.sideDb, band.mix.midDb);
    const auto targetWidth = difference(band.target.sideDb, band.target.midDb);
    band.widthDiffDb = difference(mixWidth, targetWidth);
    band.midP10DiffDb = difference(band.mix.midP10Db, band.target.midP10Db);
    band.midP50DiffDb = difference(band.mix.midP50Db, band.target.midP50Db);
    band.midP90DiffDb = difference(band.mix.midP90Db, band.target.midP90Db);
    band.crestDiffDb = difference(band.mix.crestDb, band.target.crestDb);
    compared.push_back(band);
  }
  return compared;
}

}  // namespace

GlobalFigures globalFiguresOf(const LoudnessMeasurement& loudness) {
  GlobalFigures figures;
  figures.integratedLufs = loudness.integratedLufs;
  figures.loudnessRangeLu = loudness.loudnessRangeLu;
  figures.truePeakDbtp = loudness.truePeakDbtp;
  figures.plrDb = difference(loudness.truePeakDbtp, loudness.integratedLufs);
  figures.psrDb = difference(loudness.truePeakDbtp, loudness.maxShortTermLufs);
  figures.monoFoldDownLu = difference(loudness.monoFoldDownLufs, loudness.integratedLufs);
  return figures;
}

ReferenceTarget targetOf(const std::vector<MixProfile>& references) {
  if (references.empty()) throw std::invalid_argument("no reference to make a target of");
  ReferenceTarget target;
  std::vector<GlobalFigures> globals;
  for (const MixProfile& reference : references) {
    if (!reference.loudness.integratedLufs)
      throw std::invalid_argument("the reference \"" + reference.name +
                                  "\" has no integrated loudness (silent, or shorter than 400 ms): nothing to match");
    target.references.push_back(reference.name);
    globals.push_back(globalFiguresOf(reference.loudness));
  }
  const auto meanGlobal = [&](std::optional<double> GlobalFigures::*member) {
    std::vector<std::optional<double>> values;
    for (const GlobalFigures& figures : globals) values.push_back(figures.*member);
    return meanOf(values);
  };
  target.globals.integratedLufs = meanGlobal(&GlobalFigures::integratedLufs);
  target.globals.loudnessRangeLu = meanGlobal(&GlobalFigures::loudnessRangeLu);
  target.globals.truePeakDbtp = meanGlobal(&GlobalFigures::truePeakDbtp);
  target.globals.plrDb = meanGlobal(&GlobalFigures::plrDb);
  target.globals.psrDb = meanGlobal(&GlobalFigures::psrDb);
  target.globals.monoFoldDownLu = meanGlobal(&GlobalFigures::monoFoldDownLu);
  target.thirdOctaves = averageBands(references, [](const MixProfile& p) -> const std::vector<BandProfile>& { return p.thirdOctaves; });
  target.broadBands = averageBands(references, [](const MixProfile& p) -> const std::vector<BandProfile>& { return p.broadBands; });
  return target;
}

ReferenceComparison compareWithTarget(const MixProfile& mix, const ReferenceTarget& target) {
  if (!mix.loudness.integratedLufs)
    throw std::invalid_argument("the mix \"" + mix.name +
                                "\" has no integrated loudness (silent, or shorter than 400 ms): nothing to match");
  if (!target.globals.integratedLufs) throw std::invalid_argument("the target has no integrated loudness");
  ReferenceComparison comparison;
  comparison.mix = mix.name;
  comparison.references = target.references;
  comparison.loudnessOffsetLu = *mix.loudness.integratedLufs - *target.globals.integratedLufs;
  comparison.mixGlobals = globalFiguresOf(mix.loudness);
  comparison.targetGlobals = target.globals;
  comparison.thirdOctaves = compareBands(mix.thirdOctaves, *mix.loudness.integratedLufs, target.thirdOctaves);
  comparison.broadBands = compareBands(mix.broadBands, *mix.loudness.integratedLufs, target.broadBands);
  return comparison;
}

}  // namespace mixdown::analysis
