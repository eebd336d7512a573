#pragma once
// Sample-level statistics of a whole signal, streamed block by block: sample
// peak, RMS, DC offset and the correlation of a stereo pair. Levels are relative
// to full scale (1.0 = 0 dBFS).

#include <cstdint>
#include <optional>
#include <vector>

#include "mixdown/audio/audio_block.h"
#include "mixdown/util/sum_of_squares.h"

namespace mixdown::analysis {

struct SignalStatistics {
  /** 20 log10 of the largest |sample| of any channel; null for digital silence. */
  std::optional<double> samplePeakDbfs;
  /**
   * 10 log10 of the mean square over every sample of every channel (a full-scale
   * sine reads -3.01 dBFS, the same in both channels of a stereo file); null for silence.
   */
  std::optional<double> rmsDbfs;
  /**
   * The mean of the channel whose mean is farthest from zero, signed, in units of
   * full scale (0.01 is a DC offset of -40 dBFS); null without frames.
   */
  std::optional<double> dcOffset;
  /**
   * Pearson correlation of channels 1 and 2 of a 2-channel signal, -1 .. 1: 1 for
   * identical channels, -1 for one the other's negative, near 0 for unrelated
   * ones; null for other channel counts or when a channel is constant (silent).
   */
  std::optional<double> correlation;
  /**
   * Samples of any channel that are NaN, +infinity or -infinity (a float file
   * only). The other figures do not describe such a signal: a NaN is passed
   * over by the peak and makes the RMS and the loudness meaningless.
   */
  std::int64_t nonFiniteSamples = 0;
};

/** Accumulates SignalStatistics; the result does not depend on how the input is split into blocks. */
class SignalStatisticsMeter {
public:
  /** channels >= 1. Allocates. */
  explicit SignalStatisticsMeter(int channels);

  /** Adds block (as many channels as the meter). Never allocates. */
  void add(ConstAudioBlock block) noexcept;
  SignalStatistics result() const;

private:
  // Frames are gathered into segments of kSegmentFrames, counted from the first
  // frame, so the figures do not depend on how the input is split. A segment's
  // mean, squared deviations and co-deviation are taken about its own mean (two
  // passes over it, in four partial sums), then merged into the running ones
  // (Chan, Golub and LeVeque's pairwise update): numerically stable where a
  // large DC offset would make sum(x^2) - n mean^2 cancel, and several times
  // faster than updating a running mean frame by frame (Welford), whose
  // recursion is bound by the latency of each step.
  static constexpr int kSegmentFrames = 256;

  struct ChannelSums {
    double mean = 0.0;
    double squaredDeviations = 0.0;  // sum of (x - mean)^2
    SumOfSquares squares;            // sum of x^2, for the RMS
    float peak = 0.0f;               // largest |x|
    std::int64_t nonFinite = 0;      // NaN and infinite samples
  };

  /** Merges the frames gathered in segment_ into the running figures of sums and coDeviations. */
  void mergeSegment(std::vector<ChannelSums>& sums, double& coDeviations, std::int64_t& frames) const noexcept;

  std::vector<ChannelSums> channels_;
  double coDeviations_ = 0.0;  // 2 channels: sum of (x0 - mean0)(x1 - mean1)
  std::int64_t frames_ = 0;    // merged frames
  std::vector<float> segment_;  // channel c at c * kSegmentFrames
  int segmentFrames_ = 0;       // frames gathered in segment_
};

}  // namespace mixdown::analysis
