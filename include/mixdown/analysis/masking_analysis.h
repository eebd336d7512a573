#pragma once
// Masking between the tracks of a mix: for each track, how much of the time it
// is audible the sum of the other tracks covers it, where in frequency, and by
// whom. The model is the one multitrack masking studies use (Hafezi and Reiss,
// JAES 2015; Ronan et al., JAES 2018), after the MPEG-1 psychoacoustic model:
//
// - Each track's mid signal (L + R) / 2 (what folds into the mix) is cut into
//   Hann frames (spectral_frames.h: 85 ms every 43 ms at 48 kHz) and summed into
//   40 bands equally spaced in ERB number from 20 Hz to 20 kHz (or Nyquist).
// - Levels are taken as sound pressure with a full-scale sine at 96 dB SPL
//   (the MPEG-1 model's convention). A band of a track is audible in a frame
//   when it is above the threshold in quiet (Terhardt 1979) and within 30 dB
//   of the track's loudest band in that frame.
// - The excitation of the other tracks in band b is the sum over their bands k
//   of their energy times the spreading function at the Bark distance
//   z_b - z_k (Schroeder, Atal and Hall 1979, MPEG-1 model 2's form, 0 dB at
//   0 Bark, +25 dB/Bark below the masker, -10 dB/Bark above, none below -60 dB).
// - The masker-to-signal ratio (MSR) is that excitation over the track's own
//   energy in the band, in dB; an audible band is masked where it is >= -3 dB:
//   the others' excitation there is at least half the track's own, so the
//   track no longer stands clear in its band (partial masking: two equal
//   tones in one band mask each other; a tone 10 dB above another is clear).
// - A track is masked in a frame when its masked bands hold at least half its
//   audible energy (likewise within each named region). Each masked band's
//   excitation is attributed to the other tracks in proportion to their
//   spread energy there, so a track's masker shares sum to 1.
//
// Stems are fed in order, block by block, all with the same frame count: the
// results depend only on the samples, never on the block sizes. Memory grows by
// two bytes per track per frame (the masked time ranges).

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mixdown/analysis/frequency_bands.h"
#include "mixdown/analysis/spectral_frames.h"
#include "mixdown/audio/audio_block.h"

namespace mixdown::analysis {

/** The named regions masking is also reported in. */
struct FrequencyRegion {
  const char* name;
  double lowHz;
  double highHz;
};
inline constexpr FrequencyRegion kMaskingRegions[] = {
    {"sub", 20.0, 60.0},         {"low", 60.0, 120.0},         {"low-mid", 120.0, 500.0},
    {"mid", 500.0, 2000.0},      {"presence", 2000.0, 5000.0}, {"air", 5000.0, 20000.0}};
inline constexpr int kMaskingRegionCount = 6;
inline constexpr int kMaskingBandCount = 40;
/** How many masked time ranges are reported per track (and region). */
inline constexpr int kWorstRangeCount = 3;

struct MaskerShare {
  int track = 0;       // index in the analysis's track order
  double share = 0.0;  // 0..1
};

/** A stretch of time in which the track is masked whenever it is audible (broken by a silence over 1 s). */
struct MaskedRange {
  double startS = 0.0;
  double endS = 0.0;
  double maskedS = 0.0;  // the masked time within it
};

/** Masking of one track over all bands, or within one region. */
struct MaskingFigures {
  double audibleS = 0.0;        // time the track is audible (in the region)
  double maskedFraction = 0.0;  // of audibleS; 0 when never audible
  std::optional<double> medianMsrDb;  // median MSR of the masked bands (>= -3 dB, to 0.1 dB); none if never masked
  std::vector<MaskerShare> maskers;   // by share, largest first (equal shares: track order); empty if never masked
  std::vector<MaskedRange> worstRanges;  // at most kWorstRangeCount, longest masked time first
};

struct TrackMasking {
  std::string track;
  MaskingFigures overall;
  MaskingFigures regions[kMaskingRegionCount];
  /** Per band: the masked fraction of the frames in which the band is audible; none where it never is. */
  std::vector<std::optional<double>> bandMaskedFraction;
};

struct MaskingResult {
  std::vector<FrequencyBand> bands;
  std::vector<TrackMasking> tracks;
  double frameS = 0.0;  // time between frames
};

class MaskingAnalysis {
public:
  /** One name per track (at least one); sampleRateHz 8000 .. 2822400. Throws std::invalid_argument. */
  MaskingAnalysis(std::vector<std::string> trackNames, int sampleRateHz);
  MaskingAnalysis(const MaskingAnalysis&) = delete;
  MaskingAnalysis& operator=(const MaskingAnalysis&) = delete;

  int trackCount() const noexcept { return static_cast<int>(names_.size()); }

  /**
   * Adds the next block of every track: stems[t] is track t's block, 1 or 2
   * channels, all of the same frame count. Allocates as the programme grows.
   */
  void add(const std::vector<ConstAudioBlock>& stems);
  /** Completes the last frames and returns the figures; add() may not be called after. */
  MaskingResult finish();

private:
  /** Running figures of one track within one region (or over all bands). */
  struct Tally {
    std::int64_t audibleFrames = 0;
    std::int64_t maskedFrames = 0;
    std::vector<std::uint32_t> msrHistogram;  // masked bands' MSR in 0.1 dB steps from 0 dB
    std::vector<double> shareSums;            // per other track: its summed shares of the masked bands
  };
  struct Track {
    SpectralFrames frames;
    Tally overall;
    std::vector<Tally> regions;
    std::vector<std::int64_t> bandAudibleFrames;
    std::vector<std::int64_t> bandMaskedFrames;
    /** Per frame: bit 0 audible, bit 1 masked; bits 2 + 2r and 3 + 2r the same in region r. */
    std::vector<std::uint16_t> frameFlags;
  };

  void analyseFrame();
  MaskingFigures figuresOf(const Track& track, const Tally& tally, int flagShift) const;

  std::vector<std::string> names_;
  int sampleRateHz_;
  std::vector<FrequencyBand> bands_;
  BandSummer bandSummer_;
  std::vector<int> regionOfBand_;           // -1 outside every region
  std::vector<int> regionFirstBand_;        // per region: its bands are [first, end)
  std::vector<int> regionEndBand_;
  Eigen::MatrixXd spreading_;               // (maskee band, masker band): linear power gain
  Eigen::VectorXd hearingThreshold_;        // per band: mean square at the threshold in quiet
  Eigen::MatrixXd energy_;                  // (track, band) of the current frame
  Eigen::MatrixXd excitation_;              // (track, band): energy_ spread across bands
  Eigen::MatrixXd maskedWeight_;            // (track, band): 1 / others' excitation where masked, else 0
  std::vector<Track> tracks_;
  std::vector<std::vector<float>> mid_;     // per track: one block of its mid signal
  bool finished_ = false;
};

}  // namespace mixdown::analysis
