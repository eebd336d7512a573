#pragma once
// Null test of two audio files (`mixdown diff`): both are decoded by libsndfile
// to float and read in lockstep, block by block (memory does not grow with their
// length). The residual is b - a, sample by sample, over the frames both hold.

#include <cstdint>
#include <filesystem>
#include <optional>

namespace mixdown::analysis {

/** Frames read from each file per block. */
constexpr int kCompareBlockFrames = 4096;

/** The default threshold of `mixdown diff` (CLI.md): the residual's peak, in dBFS. */
constexpr double kDefaultDiffThresholdDb = -120.0;

struct AudioShape {
  int channels = 0;
  int sampleRateHz = 0;
  std::int64_t frames = 0;

  bool operator==(const AudioShape&) const = default;
};

struct AudioComparison {
  AudioShape a;
  AudioShape b;
  /**
   * Frames whose samples were compared: the shorter file's length when the
   * channel counts and sample rates match, else 0 (no residual is measured
   * across different channel layouts or rates).
   */
  std::int64_t comparedFrames = 0;
  /** First compared frame where any channel's samples differ in any bit; none if all are bit-equal. */
  std::optional<std::int64_t> firstDiffFrame;
  /** Largest |b - a| over the compared samples (full scale 1.0); +infinity if a residual sample is not finite. */
  double maxAbsDiff = 0.0;
  /** Root mean square of b - a over every compared sample of every channel (full scale 1.0); NaN if one is not finite.
   */
  double residualRms = 0.0;
  /** Integrated loudness of each whole file (BS.1770-4, LoudnessMeter); null for silence or under 400 ms. */
  std::optional<double> integratedLufsA;
  std::optional<double> integratedLufsB;

  bool sameShape() const noexcept { return a == b; }
  /** Same shape and every sample bit-equal. */
  bool identical() const noexcept { return sameShape() && !firstDiffFrame; }
  /** b's frames minus a's. */
  std::int64_t lengthDiffFrames() const noexcept { return b.frames - a.frames; }
  /** Whether the residual was measured: same channel count and sample rate. */
  bool residualMeasured() const noexcept { return a.channels == b.channels && a.sampleRateHz == b.sampleRateHz; }
  /** 20 log10(maxAbsDiff); null when the residual was not measured, is zero, or is not finite. */
  std::optional<double> maxAbsDiffDbfs() const;
  /** 20 log10(residualRms); null when the residual was not measured, is zero, or is not finite. */
  std::optional<double> residualRmsDbfs() const;
  /** integratedLufsB - integratedLufsA; null when either is null. */
  std::optional<double> loudnessDiffLu() const;
  /**
   * Whether `mixdown diff` counts the files as equal: the same shape (length,
   * channels, rate) and a residual peak at or below thresholdDb (dBFS; -infinity
   * admits no difference but a zero residual).
   */
  bool withinThreshold(double thresholdDb) const noexcept;
};

/**
 * Compares the audio files at pathA and pathB. Throws IoError whose message
 * names the file and the reason (`cannot open "PATH": no such file`, `... not a
 * readable audio file (...)`, `"PATH" is truncated: ...`, `cannot measure "PATH": ...`).
 */
AudioComparison compareAudioFiles(const std::filesystem::path& pathA, const std::filesystem::path& pathB);

}  // namespace mixdown::analysis
