#pragma once
// Loudness after ITU-R BS.1770-4 and EBU R 128 (EBU Tech 3341, 3342): the
// K-weighting (analysis/k_weighting.h, run in vector lanes, dsp/biquad_lanes.h),
// channel weights, gating and loudness range (analysis/loudness_gating.h) and a
// true-peak interpolator (dsp/true_peak.h). Every figure is libebur128's
// definition and agrees with libebur128 within rounding (a test compares them);
// measuring here is several times faster, which matters because a render
// measures every stem.
//
// Channels follow BS.1770-4's default map (libebur128's): 1 channel is one
// loudspeaker of weight 1.0 (a 0 dBFS 997 Hz mono sine reads -3.01 LUFS; not
// dual mono, which would count it twice), 2 are L R, 3 L R C, 4 L R Ls Rs, 5 L R
// C Ls Rs, 6 L R C LFE Ls Rs (LFE excluded); Ls and Rs weigh 1.41. Channels
// after the sixth are not counted. Blocks are 100 ms of round(rate / 10) frames.
//
// Momentary (400 ms) and short-term (3 s) loudness are read every 10 ms (100
// times a second, ten times the rate Tech 3341 asks for): the K-weighted,
// channel-weighted mean square of each 10 ms step is kept, and a window is the
// mean of its last 40 or 300 steps. A 400 ms burst is thus caught within 5 ms
// of its position (at most 0.06 dB low). A step is floor(rate / 100) frames:
// exactly 10 ms when the rate is a multiple of 100 Hz. Windows count from the
// first frame; before a window is full it has no reading.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "mixdown/analysis/loudness_gating.h"
#include "mixdown/audio/audio_block.h"
#include "mixdown/dsp/biquad_lanes.h"
#include "mixdown/dsp/true_peak.h"
#include "mixdown/util/sum_of_squares.h"

namespace mixdown::analysis {

struct LoudnessMeasurement {
  /** Gated programme loudness (BS.1770-4: -70 LUFS absolute, -10 LU relative gate); null for silence or < 400 ms. */
  std::optional<double> integratedLufs;
  /**
   * EBU Tech 3342 loudness range (3 s windows every 1 s, -70 LUFS and -20 LU
   * gates, 10th to 95th percentile); null when integratedLufs is null or the
   * input is shorter than 3 s.
   */
  std::optional<double> loudnessRangeLu;
  /** Largest momentary (400 ms) loudness; null when shorter than 400 ms or digitally silent. */
  std::optional<double> maxMomentaryLufs;
  /** Largest short-term (3 s) loudness; null when shorter than 3 s or digitally silent. */
  std::optional<double> maxShortTermLufs;
  /**
   * Largest true peak of any channel (BS.1770-4 Annex 2: a 48-tap interpolator,
   * 4x below 96 kHz, 2x below 192 kHz, sample peak above), never below the
   * sample peak; null for silence.
   */
  std::optional<double> truePeakDbtp;
  /**
   * Stereo input only: integrated loudness of the mono fold-down (L + R) / 2 as
   * played on both loudspeakers (dual mono: weight 2). It
   * equals integratedLufs for identical channels, is 3.01 LU below it for
   * uncorrelated channels of equal loudness and null for channels of opposite
   * polarity; more than 3 LU below integratedLufs means the channels partly cancel.
   */
  std::optional<double> monoFoldDownLufs;
};

/** One reading of a loudness history (LoudnessMeter::keepHistory). */
struct LoudnessReading {
  double timeS = 0.0;                   // the end of the windows, from the first frame
  std::optional<double> momentaryLufs;  // null before 400 ms or for silence
  std::optional<double> shortTermLufs;  // null before 3 s or for silence
};

/** A streaming loudness meter: add planar blocks of any size, read result() at any time. */
class LoudnessMeter {
public:
  /** Readings of momentary and short-term loudness per second. */
  static constexpr int kStepsPerSecond = 100;
  static constexpr int kMomentarySteps = 40;   // 400 ms
  static constexpr int kShortTermSteps = 300;  // 3 s

  /** What a meter measures: every figure, or only the integrated loudness (much cheaper: no true peak). */
  enum class Figures { All, IntegratedOnly };

  /** channels 1 .. 64, sampleRateHz 100 .. 2822400. Allocates; throws std::invalid_argument. */
  LoudnessMeter(int channels, int sampleRateHz, Figures figures = Figures::All);

  int channels() const noexcept { return channels_; }
  int sampleRateHz() const noexcept { return sampleRateHz_; }
  /** Frames added so far. */
  std::int64_t frames() const noexcept { return frames_; }

  /**
   * Adds block (channels() channels). The result does not depend on how the
   * input is split into blocks. Allocates as the programme grows (about one
   * double per 100 ms, loudness_gating.h), so this is not for a real-time
   * thread; throws std::bad_alloc when it cannot.
   */
  void add(ConstAudioBlock block);

  LoudnessMeasurement result() const;

  /** Momentary loudness of the 400 ms ending at the last whole step; null before 400 ms or for silence. */
  std::optional<double> momentaryLufs() const;
  /** Short-term loudness of the 3 s ending at the last whole step; null before 3 s or for silence. */
  std::optional<double> shortTermLufs() const;

  /** From now on, keeps the momentary and short-term loudness every stepsPerReading steps (10: each 100 ms). */
  void keepHistory(int stepsPerReading) { historyEvery_ = stepsPerReading; }
  const std::vector<LoudnessReading>& history() const noexcept { return history_; }

private:
  /** A K-weighted signal: an input channel, or the stereo fold-down. */
  struct Signal {
    int channel;    // the input channel; -1: (L + R) / 2
    double weight;  // BS.1770-4's channel weight (the fold-down's is 2: dual mono)
  };

  void addChunk(ConstAudioBlock chunk);
  /** Ends a segment: the frames between two boundaries of a step or a 100 ms block. */
  void completeSegment();
  void completeStep();
  void completeSubBlock();
  /** Mean of the last stepCount step energies; stepCount <= steps_. */
  double windowEnergy(int stepCount) const noexcept;

  int channels_;
  int sampleRateHz_;
  int stepFrames_;
  int subBlockFrames_;  // 100 ms
  Figures figures_;
  std::vector<Signal> signals_;                    // the weighted channels, then the fold-down (stereo, Figures::All)
  std::vector<dsp::BiquadCascadeLanes> kWeighting_;  // signals_ in groups of dsp::kLanes
  std::vector<float> filtered_;                    // one chunk of every signal, signal s at s * stepFrames_
  std::vector<SumOfSquares> segmentSquares_;       // per signal: K-weighted squares of this segment
  std::vector<double> stepSquares_;                // per signal: K-weighted squares of this step
  std::vector<double> subBlockSquares_;            // per signal: of this 100 ms
  LoudnessGating programme_;                       // the weighted channels
  std::optional<LoudnessGating> foldDown_;         // the fold-down
  std::vector<dsp::TruePeakMeter> truePeakMeters_;  // Figures::All: one per channel
  std::vector<float> peaks_;            // one step of one channel's true peaks
  float truePeak_ = 0.0f;               // largest report so far
  std::vector<double> stepEnergies_;    // ring of the last kShortTermSteps steps' mean squares
  std::int64_t frames_ = 0;
  std::int64_t steps_ = 0;  // whole steps so far
  int framesInStep_ = 0;
  int framesInSubBlock_ = 0;
  double maxMomentaryEnergy_ = 0.0;
  double maxShortTermEnergy_ = 0.0;
  int historyEvery_ = 0;  // steps per reading; 0: none kept
  std::vector<LoudnessReading> history_;
};

}  // namespace mixdown::analysis
