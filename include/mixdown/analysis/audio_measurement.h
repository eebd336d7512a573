#pragma once
// Everything `mixdown analyze` and the render report measure of a signal, in
// one pass: loudness (loudness_meter.h) and sample statistics (signal_statistics.h).

#include <cstdint>

#include "mixdown/analysis/loudness_meter.h"
#include "mixdown/analysis/signal_statistics.h"
#include "mixdown/audio/audio_block.h"

namespace mixdown::analysis {

struct AudioMeasurement {
  int channels = 0;
  int sampleRateHz = 0;
  std::int64_t frames = 0;
  LoudnessMeasurement loudness;
  SignalStatistics statistics;

  double durationS() const noexcept { return sampleRateHz > 0 ? static_cast<double>(frames) / sampleRateHz : 0.0; }
};

/** A streaming meter of every AudioMeasurement figure: add planar blocks, read result(). */
class AudioMeter {
public:
  /** As LoudnessMeter: channels 1 .. 64, sampleRateHz 100 .. 2822400; throws std::invalid_argument. */
  AudioMeter(int channels, int sampleRateHz) : loudness_(channels, sampleRateHz), statistics_(channels) {}

  /** Adds block (channels() channels); independent of how the input is split. Throws std::bad_alloc. */
  void add(ConstAudioBlock block) {
    loudness_.add(block);
    statistics_.add(block);
  }

  AudioMeasurement result() const {
    return AudioMeasurement{loudness_.channels(), loudness_.sampleRateHz(), loudness_.frames(), loudness_.result(),
                            statistics_.result()};
  }

  int channels() const noexcept { return loudness_.channels(); }
  const LoudnessMeter& loudness() const noexcept { return loudness_; }
  LoudnessMeter& loudness() noexcept { return loudness_; }

private:
  LoudnessMeter loudness_;
  SignalStatisticsMeter statistics_;
};

}  // namespace mixdown::analysis
