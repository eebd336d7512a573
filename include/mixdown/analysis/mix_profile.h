#pragma once
// What the reference comparison (reference_comparison.h) measures of one mix
// or reference file: its loudness figures (loudness_meter.h) and, per
// frequency band, the level of its mid (L + R) / 2 and side (L - R) / 2, the
// spread of the mid's short-term level, its width and correlation, what a
// mono fold-down keeps of it, and (broad bands) its crest factor.
//
// Band levels come from short-time power spectra (spectral_frames.h) of L, R,
// mid and side: a band's power is the sum of its bins, calibrated so that a
// full-scale sine in the band reads 10 log10(0.5) = -3.01 dB. Only frames
// where the mean of L and R is above -70 dBFS (mean square, the loudness
// gate's absolute level) count, so silence before, between and after the music does not
// lower the levels. Short-term levels are 3 s windows of frames every 1 s
// (as EBU Tech 3342's short-term loudness for the loudness range); a file
// shorter than 3 s is one window.
//
// From the powers of L, R, mid and side of a band: the L/R correlation is
// (P_mid - P_side) / sqrt(P_L P_R) (since |M|^2 - |S|^2 = Re(L conj(R)) bin by
// bin: 1 for identical channels, 0 for unrelated ones, -1 for opposite ones);
// the mono loss is 10 log10(P_mid / ((P_L + P_R) / 2)) (0 dB for identical
// channels, -3 dB for unrelated ones of equal level). A mono file has no side
// and a correlation of 1.
//
// The crest factor of a broad band is the peak over the RMS of the mid
// filtered to the band by 4th-order Linkwitz-Riley crossovers (two cascaded
// 2nd-order Butterworth sections) at the band's edges, over the whole file.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mixdown/analysis/frequency_bands.h"
#include "mixdown/analysis/loudness_meter.h"

namespace mixdown::analysis {

/** The broad bands' inner edges: < 250, 250-2k, 2k-8k, > 8k Hz. */
inline constexpr double kBroadBandEdgesHz[] = {250.0, 2000.0, 8000.0};

/** The broad bands below maxHz: [0, 250), [250, 2000), [2000, 8000), [8000, maxHz). */
std::vector<FrequencyBand> broadBands(double maxHz);

/** A level in dB; -infinity for a band with no power. */
struct BandLevels {
  double midDb = 0.0;
  double sideDb = 0.0;
  /** The mid's short-term level at the 10th, 50th and 90th percentile of the counted windows. */
  double midP10Db = 0.0;
  double midP50Db = 0.0;
  double midP90Db = 0.0;
  /** Null where the band has no power in a channel. */
  std::optional<double> correlation;
  std::optional<double> monoLossDb;
  /** Broad bands only; null for silence. */
  std::optional<double> crestDb;
};

struct BandProfile {
  FrequencyBand band;
  BandLevels levels;
};

struct MixProfile {
  std::string name;  // the file as given
  int sampleRateHz = 0;
  int channels = 0;
  double seconds = 0.0;
  LoudnessMeasurement loudness;
  std::vector<BandProfile> thirdOctaves;
  std::vector<BandProfile> broadBands;
};

/**
 * Reads and measures the file at path (mono or stereo) over the bands given
 * (every band's upper edge at most the file's Nyquist frequency). Throws
 * IoError naming the file: unreadable, more than 2 channels.
 */
MixProfile profileOfFile(const std::filesystem::path& path, const std::vector<FrequencyBand>& thirdOctaves,
                         const std::vector<FrequencyBand>& broad);

}  // namespace mixdown::analysis
