#pragma once
// Sample-level statistics of a whole signal, streamed block by block: sample
// peak, RMS, DC offset and the correlation of a stereo pair. Levels are relative
// to full scale (1.0 = 0 dBFS).

#include <cstdint>
#include <optional>
#include <vector>

#include "mixdown/dsp/audio_block.h"

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
  // Welford's running mean and sum of squared deviations (numerically stable
  // where a large DC offset would make sum(x^2) - n mean^2 cancel), plus the raw
  // sum of squares for the RMS.
  struct ChannelSums {
    double mean = 0.0;
    double squaredDeviations = 0.0;  // sum of (x - mean)^2
    double sumOfSquares = 0.0;       // sum of x^2
    float peak = 0.0f;               // largest |x|
  };

  std::vector<ChannelSums> channels_;
  double coDeviations_ = 0.0;  // 2 channels: sum of (x0 - mean0)(x1 - mean1)
  std::int64_t frames_ = 0;
};

}  // namespace mixdown::analysis
