#pragma once
// A mix held against reference tracks (`mixdown compare`, docs/insight.md):
// the references' profiles (mix_profile.h) average into a target, each made
// relative to its own integrated loudness, so the comparison is
// loudness-matched: a band's difference is (the mix's level - the mix's
// loudness) - (the target's level relative to its loudness). Several
// references average level by level in dB; a target can be saved and used
// later in their place (reference_target_json.h).

#include <optional>
#include <string>
#include <vector>

#include "mixdown/analysis/mix_profile.h"

namespace mixdown::analysis {

/** The whole-programme figures the comparison reports for the mix and the target. */
struct GlobalFigures {
  std::optional<double> integratedLufs;
  std::optional<double> loudnessRangeLu;
  std::optional<double> truePeakDbtp;
  /** Peak to loudness ratio: true peak - integrated loudness (dB). */
  std::optional<double> plrDb;
  /** Peak to short-term loudness ratio: true peak - the largest short-term (3 s) loudness (dB). */
  std::optional<double> psrDb;
  /** The mono fold-down's integrated loudness - the stereo's (LU): 0 for mono-safe material, -3 for unrelated channels. */
  std::optional<double> monoFoldDownLu;
};

GlobalFigures globalFiguresOf(const LoudnessMeasurement& loudness);

struct ReferenceTarget {
  std::vector<std::string> references;
  /** Means over the references (of those that have the figure). */
  GlobalFigures globals;
  /** Levels relative to each reference's integrated loudness (dB re LUFS), then averaged. */
  std::vector<BandProfile> thirdOctaves;
  std::vector<BandProfile> broadBands;
};

/** The target of the references' profiles (same bands each); throws std::invalid_argument naming a silent reference. */
ReferenceTarget targetOf(const std::vector<MixProfile>& references);

struct BandComparison {
  FrequencyBand band;
  /** The mix's levels relative to its integrated loudness, and the target's. */
  BandLevels mix;
  BandLevels target;
  /** mix - target; null where either side has no power in the band. */
  std::optional<double> midDiffDb;
  std::optional<double> sideDiffDb;
  /** (side - mid) of the mix - (side - mid) of the target: wider (> 0) or narrower. */
  std::optional<double> widthDiffDb;
  std::optional<double> midP10DiffDb;
  std::optional<double> midP50DiffDb;
  std::optional<double> midP90DiffDb;
  std::optional<double> crestDiffDb;
};

struct ReferenceComparison {
  std::string mix;
  std::vector<std::string> references;
  /** The mix's integrated loudness - the target's (LU). */
  double loudnessOffsetLu = 0.0;
  GlobalFigures mixGlobals;
  GlobalFigures targetGlobals;
  /** The bands the mix and the target both have (matched by their lower edge). */
  std::vector<BandComparison> thirdOctaves;
  std::vector<BandComparison> broadBands;
};

/** Throws std::invalid_argument when the mix is silent (no integrated loudness to match). */
ReferenceComparison compareWithTarget(const MixProfile& mix, const ReferenceTarget& target);

}  // namespace mixdown::analysis
