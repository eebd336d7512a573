#pragma once
// The gated figures of a K-weighted programme, from the energies of its 100 ms
// sub-blocks (the channel-weighted sum of K-weighted squares, BS.1770-4):
//   integrated loudness (BS.1770-4 section 2.8): 400 ms gating blocks every
//     100 ms; blocks under the absolute gate (-70 LUFS) are dropped, then
//     blocks under the relative gate (10 dB below the mean energy of the rest);
//     the loudness of the mean energy of what remains;
//   loudness range (EBU Tech 3342): 3 s short-term windows every 1 s (the first
//     at 3 s); the absolute gate, then a relative gate 20 dB below their mean
//     energy; the difference of the 95th and 10th percentiles, each the window
//     of rank round((n - 1) p) among the n sorted survivors.
// These are libebur128's definitions (block list mode), so both read the same
// figures within rounding; a block at exactly a gate passes it.

#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

namespace mixdown::analysis {

/** BS.1770-4 eq. (2): L = -0.691 + 10 log10(energy). */
inline constexpr double kLoudnessOffsetDb = -0.691;

/** The loudness in LUFS of a K-weighted, channel-weighted mean square (energy > 0). */
inline double loudnessOfEnergy(double energy) noexcept { return kLoudnessOffsetDb + 10.0 * std::log10(energy); }

class LoudnessGating {
public:
  /** subBlockFrames: frames per 100 ms (>= 1); withRange: keep the short-term windows for loudnessRangeLu(). */
  LoudnessGating(int subBlockFrames, bool withRange);

  /**
   * Adds the next 100 ms: the sum over channels of each channel's weight times
   * the sum of its K-weighted squares. Allocates as the programme grows: one
   * double per gating block that passes the absolute gate, one per second for the range.
   */
  void addSubBlock(double weightedSquares);

  /** Gated loudness in LUFS; null when no block passes the gates (silence, or shorter than 400 ms). */
  std::optional<double> integratedLufs() const;
  /** Loudness range in LU; 0 when no short-term window passes the gates. Needs withRange. */
  double loudnessRangeLu() const;

private:
  static constexpr int kBlockSubBlocks = 4;       // 400 ms
  static constexpr int kShortTermSubBlocks = 30;  // 3 s
  static constexpr int kShortTermHopSubBlocks = 10;  // 1 s

  /** Mean energy per frame of the last count sub-blocks. */
  double recentEnergy(int count) const noexcept;

  int subBlockFrames_;
  bool withRange_;
  std::vector<double> recent_;  // ring of the last kShortTermSubBlocks (or kBlockSubBlocks) sub-block sums
  std::int64_t subBlocks_ = 0;
  std::vector<double> blockEnergies_;      // gating blocks at or above the absolute gate
  std::vector<double> shortTermEnergies_;  // short-term windows at or above the absolute gate
};

}  // namespace mixdown::analysis
