#include "mixdown/analysis/masking_analysis.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "mixdown/audio/decibels.h"

namespace mixdown::analysis {

namespace {

constexpr double kLowestHz = 20.0;
constexpr double kHighestHz = 20000.0;
/** A full-scale sine (mean square 0.5) is taken as this sound pressure level. */
constexpr double kFullScaleSineSplDb = 96.0;
/** A band is audible only within this range below the track's loudest band in the frame. */
constexpr double kAudibleWindowDb = 30.0;
/** Spreading below this gain is dropped (MPEG-1 model 2). */
constexpr double kSpreadingFloorDb = -60.0;
/** An audible band is masked where the others' excitation is within this of its own energy, or above. */
constexpr double kMaskedFromMsrDb = -3.0;
/** A masked time range ends at a silence of the track longer than this. */
constexpr double kRangeBreakS = 1.0;
constexpr int kHistogramBinsPerDb = 10;
constexpr int kHistogramBins = 100 * kHistogramBinsPerDb;  // kMaskedFromMsrDb .. +97 dB; higher ratios count in the last bin


/** Threshold in quiet, dB SPL (Terhardt 1979, as in the MPEG-1 psychoacoustic models). */
double thresholdInQuietSplDb(double frequencyHz) noexcept {
  const double khz = frequencyHz / 1000.0;
  return 3.64 * std::pow(khz, -0.8) - 6.5 * std::exp(-0.6 * (khz - 3.3) * (khz - 3.3)) + 1e-3 * std::pow(khz, 4.0);
}

/** Schroeder's spreading function in dB at a distance of dz Bark above the masker, 0 dB at dz = 0. */
double spreadingDb(double dzBark) noexcept {
  const auto raw = [](double dz) { return 15.81 + 7.5 * (dz + 0.474) - 17.5 * std::sqrt(1.0 + (dz + 0.474) * (dz + 0.474)); };
  return raw(dzBark) - raw(0.0);
}

}  // namespace

MaskingAnalysis::MaskingAnalysis(std::vector<std::string> trackNames, int sampleRateHz)
    : names_(std::move(trackNames)), sampleRateHz_(sampleRateHz),
      bands_(erbBands(kMaskingBandCount, kLowestHz, std::min(kHighestHz, sampleRateHz / 2.0))),
      bandSummer_(bands_, static_cast<double>(sampleRateHz) / spectralFrameFramesFor(sampleRateHz),
                  spectralFrameFramesFor(sampleRateHz) / 2 + 1) {
  if (names_.empty()) throw std::invalid_argument("no tracks to analyse");
  if (sampleRateHz < 8000 || sampleRateHz > 2822400) throw std::invalid_argument("sample rate out of range");
  const int bandCount = kMaskingBandCount;
  regionOfBand_.assign(bandCount, -1);
  regionFirstBand_.assign(kMaskingRegionCount, 0);
  regionEndBand_.assign(kMaskingRegionCount, 0);
  for (int r = 0; r < kMaskingRegionCount; ++r) {
    int first = bandCount;
    int end = 0;
    for (int b = 0; b < bandCount; ++b) {
      const double centreHz = bands_[static_cast<size_t>(b)].centreHz();
      if (centreHz >= kMaskingRegions[r].lowHz && centreHz < kMaskingRegions[r].highHz) {
        regionOfBand_[static_cast<size_t>(b)] = r;
        first = std::min(first, b);
        end = b + 1;
      }
    }
    regionFirstBand_[static_cast<size_t>(r)] = std::min(first, end);
    regionEndBand_[static_cast<size_t>(r)] = end;
  }
  spreading_.resize(bandCount, bandCount);
  hearingThreshold_.resize(bandCount);
  for (int b = 0; b < bandCount; ++b) {
    const double maskeeBark = barkOf(bands_[static_cast<size_t>(b)].centreHz());
    for (int k = 0; k < bandCount; ++k) {
      const double gainDb = spreadingDb(maskeeBark - barkOf(bands_[static_cast<size_t>(k)].centreHz()));
      spreading_(b, k) = gainDb < kSpreadingFloorDb ? 0.0 : audio::dbToPower(gainDb);
    }
    hearingThreshold_(b) =
        0.5 * audio::dbToPower(thresholdInQuietSplDb(bands_[static_cast<size_t>(b)].centreHz()) - kFullScaleSineSplDb);
  }
  const int trackCount = static_cast<int>(names_.size());
  energy_.setZero(trackCount, bandCount);
  excitation_.setZero(trackCount, bandCount);
  maskedWeight_.setZero(trackCount, bandCount);
  const auto newTally = [&] {
    return Tally{0, 0, std::vector<std::uint32_t>(kHistogramBins, 0), std::vector<double>(names_.size(), 0.0)};
  };
  tracks_.reserve(names_.size());
  for (size_t t = 0; t < names_.size(); ++t) {
    tracks_.push_back(Track{SpectralFrames(sampleRateHz), newTally(), {}, std::vector<std::int64_t>(bandCount, 0),
                            std::vector<std::int64_t>(bandCount, 0), {}});
    for (int r = 0; r < kMaskingRegionCount; ++r) tracks_.back().regions.push_back(newTally());
  }
  mid_.resize(names_.size());
}

void MaskingAnalysis::add(const std::vector<ConstAudioBlock>& stems) {
  if (finished_) throw std::logic_error("masking analysis: add after finish");
  if (stems.size() != tracks_.size()) throw std::invalid_argument("masking analysis: one block per track expected");
  const int frameCount = stems.front().frames();
  for (size_t t = 0; t < stems.size(); ++t) {
    const ConstAudioBlock& stem = stems[t];
    if (stem.frames() != frameCount || stem.channels() < 1 || stem.channels() > 2)
      throw std::invalid_argument("masking analysis: blocks of 1 or 2 channels and equal length expected");
    std::vector<float>& mid = mid_[t];
    mid.resize(static_cast<size_t>(frameCount));
    const float* left = stem.channel(0);
    if (stem.channels() == 1) {
      std::copy(left, left + frameCount, mid.begin());
    } else {
      const float* right = stem.channel(1);
      for (int n = 0; n < frameCount; ++n) mid[static_cast<size_t>(n)] = 0.5f * (left[n] + right[n]);
    }
  }
  // Every track completes its frames at the same samples.
  std::vector<double> bandPower(kMaskingBandCount);
  for (int offset = 0; offset < frameCount;) {
    int taken = 0;
    bool ready = false;
    for (size_t t = 0; t < tracks_.size(); ++t) {
      SpectralFrames& frames = tracks_[t].frames;
      taken = frames.add(mid_[t].data() + offset, frameCount - offset);
      ready = frames.frameReady();
      if (ready) {
        bandSummer_.sum(frames.powerSpectrum(), bandPower.data());
        for (int b = 0; b < kMaskingBandCount; ++b) energy_(static_cast<Eigen::Index>(t), b) = bandPower[static_cast<size_t>(b)];
      }
    }
    offset += taken;
    if (ready) analyseFrame();
  }
}

void MaskingAnalysis::analyseFrame() {
  const auto trackCount = static_cast<Eigen::Index>(tracks_.size());
  excitation_.noalias() = energy_ * spreading_.transpose();
  const Eigen::RowVectorXd totalExcitation = excitation_.colwise().sum();
  const double audibleWindow = audio::dbToPower(-kAudibleWindowDb);
  const double maskedFromRatio = audio::dbToPower(kMaskedFromMsrDb);
  maskedWeight_.setZero();
  std::vector<double> msrDb(kMaskingBandCount);
  for (Eigen::Index t = 0; t < trackCount; ++t) {
    Track& track = tracks_[static_cast<size_t>(t)];
    const double loudest = energy_.row(t).maxCoeff();
    double audibleEnergy = 0.0;
    double maskedEnergy = 0.0;
    double regionAudible[kMaskingRegionCount] = {};
    double regionMasked[kMaskingRegionCount] = {};
    for (int b = 0; b < kMaskingBandCount; ++b) {
      const double own = energy_(t, b);
      if (!(own > hearingThreshold_(b) && own >= loudest * audibleWindow)) continue;
      const int region = regionOfBand_[static_cast<size_t>(b)];
      ++track.bandAudibleFrames[static_cast<size_t>(b)];
      audibleEnergy += own;
      if (region >= 0) regionAudible[region] += own;
      const double others = std::max(totalExcitation(b) - excitation_(t, b), 0.0);
      if (!(others >= own * maskedFromRatio)) continue;
      ++track.bandMaskedFrames[static_cast<size_t>(b)];
      maskedEnergy += own;
      if (region >= 0) regionMasked[region] += own;
      maskedWeight_(t, b) = 1.0 / others;
      const int bin = std::clamp(
          static_cast<int>((audio::powerToDb(others / own) - kMaskedFromMsrDb) * kHistogramBinsPerDb), 0, kHistogramBins - 1);
      ++track.overall.msrHistogram[static_cast<size_t>(bin)];
      if (region >= 0) ++track.regions[static_cast<size_t>(region)].msrHistogram[static_cast<size_t>(bin)];
    }
    std::uint16_t flags = 0;
    if (audibleEnergy > 0.0) {
      flags |= 1u;
      ++track.overall.audibleFrames;
      if (2.0 * maskedEnergy >= audibleEnergy) {
        flags |= 2u;
        ++track.overall.maskedFrames;
      }
    }
    for (int r = 0; r < kMaskingRegionCount; ++r) {
      if (!(regionAudible[r] > 0.0)) continue;
      Tally& tally = track.regions[static_cast<size_t>(r)];
      flags = static_cast<std::uint16_t>(flags | (1u << (2 + 2 * r)));
      ++tally.audibleFrames;
      if (2.0 * regionMasked[r] >= regionAudible[r]) {
        flags = static_cast<std::uint16_t>(flags | (1u << (3 + 2 * r)));
        ++tally.maskedFrames;
      }
    }
    track.frameFlags.push_back(flags);
  }
  // Attribution: in each masked band, track u's share of track t's maskers is excitation(u) / others(t).
  for (int r = 0; r < kMaskingRegionCount; ++r) {
    const int first = regionFirstBand_[static_cast<size_t>(r)];
    const int width = regionEndBand_[static_cast<size_t>(r)] - first;
    if (width <= 0) continue;
    const Eigen::MatrixXd shares =
        maskedWeight_.middleCols(first, width) * excitation_.middleCols(first, width).transpose();
    for (Eigen::Index t = 0; t < trackCount; ++t) {
      Track& track = tracks_[static_cast<size_t>(t)];
      for (Eigen::Index u = 0; u < trackCount; ++u) {
        if (u == t) continue;
        track.regions[static_cast<size_t>(r)].shareSums[static_cast<size_t>(u)] += shares(t, u);
        track.overall.shareSums[static_cast<size_t>(u)] += shares(t, u);
      }
    }
  }
}

MaskingFigures MaskingAnalysis::figuresOf(const Track& track, const Tally& tally, int flagShift) const {
  const double frameS = static_cast<double>(track.frames.hopFrames()) / sampleRateHz_;
  MaskingFigures figures;
  figures.audibleS = static_cast<double>(tally.audibleFrames) * frameS;
  figures.maskedFraction =
      tally.audibleFrames > 0 ? static_cast<double>(tally.maskedFrames) / static_cast<double>(tally.audibleFrames) : 0.0;
  std::uint64_t maskedBands = 0;
  for (const std::uint32_t count : tally.msrHistogram) maskedBands += count;
  if (maskedBands > 0) {
    std::uint64_t below = 0;
    for (size_t bin = 0; bin < tally.msrHistogram.size(); ++bin) {
      below += tally.msrHistogram[bin];
      if (2 * below >= maskedBands) {
        figures.medianMsrDb = kMaskedFromMsrDb + (static_cast<double>(bin) + 0.5) / kHistogramBinsPerDb;
        break;
      }
    }
  }
  double shareTotal = 0.0;
  for (const double sum : tally.shareSums) shareTotal += sum;
  if (shareTotal > 0.0) {
    for (size_t u = 0; u < tally.shareSums.size(); ++u)
      if (tally.shareSums[u] > 0.0) figures.maskers.push_back({static_cast<int>(u), tally.shareSums[u] / shareTotal});
    std::stable_sort(figures.maskers.begin(), figures.maskers.end(),
                     [](const MaskerShare& a, const MaskerShare& b) { return a.share > b.share; });
  }
  // Ranges: from a masked frame to the next masked frame with no audible, unmasked frame between and no
  // silence longer than kRangeBreakS.
  const auto audibleBit = static_cast<std::uint16_t>(1u << flagShift);
  const auto maskedBit = static_cast<std::uint16_t>(2u << flagShift);
  std::vector<MaskedRange> ranges;
  std::int64_t firstMasked = -1;
  std::int64_t lastMasked = -1;
  std::int64_t maskedCount = 0;
  const auto closeRange = [&] {
    if (firstMasked < 0) return;
    ranges.push_back({std::max(0.0, (static_cast<double>(firstMasked) - 0.5) * frameS),
                      (static_cast<double>(lastMasked) + 0.5) * frameS, static_cast<double>(maskedCount) * frameS});
    firstMasked = -1;
    maskedCount = 0;
  };
  std::int64_t lastAudible = -1;
  for (size_t k = 0; k < track.frameFlags.size(); ++k) {
    const std::uint16_t flags = track.frameFlags[k];
    if (!(flags & audibleBit)) continue;
    if (lastAudible >= 0 && static_cast<double>(static_cast<std::int64_t>(k) - lastAudible - 1) * frameS > kRangeBreakS)
      closeRange();
    lastAudible = static_cast<std::int64_t>(k);
    if (flags & maskedBit) {
      if (firstMasked < 0) firstMasked = static_cast<std::int64_t>(k);
      lastMasked = static_cast<std::int64_t>(k);
      ++maskedCount;
    } else {
      closeRange();
    }
  }
  closeRange();
  std::stable_sort(ranges.begin(), ranges.end(),
                   [](const MaskedRange& a, const MaskedRange& b) { return a.maskedS > b.maskedS; });
  if (ranges.size() > kWorstRangeCount) ranges.resize(kWorstRangeCount);
  figures.worstRanges = std::move(ranges);
  return figures;
}

MaskingResult MaskingAnalysis::finish() {
  if (!finished_) {
    finished_ = true;
    for (;;) {
      bool ready = false;
      for (size_t t = 0; t < tracks_.size(); ++t) {
        SpectralFrames& frames = tracks_[t].frames;
        ready = frames.flush();
        if (!ready) continue;
        std::vector<double> bandPower(kMaskingBandCount);
        bandSummer_.sum(frames.powerSpectrum(), bandPower.data());
        for (int b = 0; b < kMaskingBandCount; ++b) energy_(static_cast<Eigen::Index>(t), b) = bandPower[static_cast<size_t>(b)];
      }
      if (!ready) break;
      analyseFrame();
    }
  }
  MaskingResult result;
  result.bands = bands_;
  result.frameS = static_cast<double>(tracks_.front().frames.hopFrames()) / sampleRateHz_;
  for (size_t t = 0; t < tracks_.size(); ++t) {
    const Track& track = tracks_[t];
    TrackMasking masking;
    masking.track = names_[t];
    masking.overall = figuresOf(track, track.overall, 0);
    for (int r = 0; r < kMaskingRegionCount; ++r)
      masking.regions[r] = figuresOf(track, track.regions[static_cast<size_t>(r)], 2 + 2 * r);
    for (int b = 0; b < kMaskingBandCount; ++b) {
      const std::int64_t audible = track.bandAudibleFrames[static_cast<size_t>(b)];
      masking.bandMaskedFraction.push_back(
          audible > 0 ? std::optional<double>(static_cast<double>(track.bandMaskedFrames[static_cast<size_t>(b)]) /
                                              static_cast<double>(audible))
                      : std::nullopt);
    }
    result.tracks.push_back(std::move(masking));
  }
  return result;
}

}  // namespace mixdown::analysis
