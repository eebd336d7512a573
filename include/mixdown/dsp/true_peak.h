#pragma once
// Streaming true-peak meter after ITU-R BS.1770-4 Annex 2: the signal is
// oversampled by a polyphase interpolation FIR and the absolute values of the
// oversampled points are the true-peak estimate. The FIR is designed here
// (windowed sinc, computed in the constructor), not taken from the standard's table.

#include <Eigen/Core>
#include <vector>

namespace mixdown::dsp {

/** Window of the interpolation filter's sinc. */
enum class TruePeakWindow {
  Kaiser,  // beta kKaiserBeta: flat to 0.46 fs within 0.01 dB at 48 taps per phase; the accurate choice
  Hann,    // raised cosine: short filters with a wide transition band, as in BS.1770-4's example
};

/**
 * True-peak interpolator for one channel, usable sample by sample (limiter) or
 * over whole files (loudness analysis).
 *
 * For every input sample x[m] it reports
 *   peak[m] = max(|x[m]|, |x(m + j / L)| for j = 1 .. L - 1),
 * the largest absolute value of the band-limited reconstruction x(t) over the
 * interval [m, m + 1) sampled at L points (L = oversampling()). x(t) is
 * estimated by a windowed sinc with cutoff fs / 2 spanning tapsPerPhase()
 * input samples; each of the L - 1 fractional phases is normalised to unit
 * gain at DC, and phase 0 is x[m] itself (the sinc is zero at the other
 * integers), so the meter never reads below the sample peak.
 *
 * The report for x[m] needs tapsPerPhase() / 2 later samples: peaks[i] refers
 * to the input latencyFrames() samples before input[i]. A longer latency may
 * be asked for, to align meters of different lengths. To read the end of a
 * signal, feed latencyFrames() zeros after it. With oversampling 1 the meter
 * is a sample-peak meter without latency.
 */
class TruePeakMeter {
public:
  static constexpr int kDefaultTapsPerPhase = 48;
  /** Kaiser window shape: with 48 taps per phase a sine up to 0.46 fs reads within 0.01 dB. */
  static constexpr double kKaiserBeta = 6.0;

  /** The factor BS.1770-4 Annex 2 asks for: 4 below 96 kHz, 2 below 192 kHz, else 1. */
  static int standardOversampling(double sampleRateHz) noexcept;

  TruePeakMeter() = default;  // oversampling 1: sample peaks, no latency
  /**
   * oversampling: 1, 2, 4, 8 or 16. tapsPerPhase: even, 4 .. 256. latencyFrames:
   * at least tapsPerPhase / 2 (-1 for exactly that). Allocates.
   */
  explicit TruePeakMeter(int oversampling, int tapsPerPhase = kDefaultTapsPerPhase,
                         TruePeakWindow window = TruePeakWindow::Kaiser, int latencyFrames = -1);

  int oversampling() const noexcept { return oversampling_; }
  int tapsPerPhase() const noexcept { return taps_; }
  /** Frames between an input sample and its report (0 without oversampling). */
  int latencyFrames() const noexcept { return span_ / 2; }

  /** Clears the history (as if preceded by silence); never allocates. */
  void reset() noexcept;
  /** peaks[i] = report for input[i - latencyFrames()] (earlier calls' samples included). */
  void process(const float* input, float* peaks, int frames) noexcept;
  /** peaks[i] = max(peaks[i], report): links channels, or meters, into one per-frame peak. */
  void processMax(const float* input, float* peaks, int frames) noexcept;
  /**
   * As processMax, exact wherever the true peak may exceed thresholdAmplitude.
   * Where every sample the filter spans is below thresholdAmplitude divided by
   * the largest phase's absolute coefficient sum, no interpolated value can
   * exceed the threshold: the filter is skipped and |x[m]| is reported. For
   * detectors that only ask "above the threshold, and by how much?".
   */
  void processMaxAbove(const float* input, float* peaks, int frames, float thresholdAmplitude) noexcept;

private:
  enum class Mode { Write, Max, MaxAbove };
  template <int Groups, Mode Kind>
  void run(const float* input, float* peaks, int frames, float quietLevel) noexcept;
  template <Mode Kind>
  void dispatch(const float* input, float* peaks, int frames, float quietLevel) noexcept;

  // Fractional phases in groups of four SIMD lanes (unused lanes are zero),
  // laid out [tap][group] so one input sample feeds every phase at once.
  std::vector<Eigen::Array4f> coefficients_;
  std::vector<float> history_;  // 2 * span_: each sample is stored twice so the last span_ are contiguous
  int oversampling_ = 1;
  int taps_ = 0;
  int span_ = 0;  // 2 * latency: samples from the oldest tap's sample to the newest input
  int groups_ = 0;
  int position_ = 0;
  float maxPhaseGain_ = 1.0f;  // largest sum of |coefficient| over one phase (phase 0: 1)
  float quietLevel_ = -1.0f;   // processMaxAbove's skip level for the current threshold
  int loudFrames_ = 0;         // frames until no sample above quietLevel_ is in the window
};

}  // namespace mixdown::dsp
