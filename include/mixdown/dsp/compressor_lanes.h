#pragma once
// The compressors of up to kLanes tracks side by side, a lane per track (the
// gain is linked over a track's channels): self-keyed compressors without key
// highpass, lookahead or automation, all with the same detector. Each lane
// runs the kernels CompressorProcessor runs on one double (meanSquareStep of
// LevelDetector, compressorCurveDb and ballisticsStep of GainComputer,
// fastDbToGain, compressorOutputGain), so a track's output is the same bits
// in a lane as from its own processor, while the per-frame recursion of the
// ballistics runs without branches for four tracks at once.

#include <span>

#include "mixdown/audio/audio_block.h"
#include "mixdown/dsp/compressor.h"
#include "mixdown/dsp/simd_lanes.h"

namespace mixdown::dsp {

/** What one lane computes with: a prepared compressor's settings and state. */
struct CompressorLane {
  // LevelDetector
  double rmsCoefficient = 0.0;
  double minDb = 0.0, maxDb = 0.0, minLinear = 0.0, maxLinear = 0.0;
  // GainComputer and its Ballistics
  double thresholdDb = 0.0, ratio = 1.0, kneeDb = 0.0, attenuationLimitDb = 0.0;
  double attackCoefficient = 0.0, releaseCoefficient = 0.0;
  double heldDb = 0.0, valueDb = 0.0, largestDb = 0.0;
  // The output
  double makeup = 1.0, mix = 1.0;

};

class CompressorLanes {
public:
  /** No lanes: process() does nothing until one is assigned. */
  CompressorLanes() = default;
  /** lanes: 1 .. kLanes; rms: every lane's detector is RMS (else peak). */
  CompressorLanes(std::span<const CompressorLane> lanes, bool rms) noexcept;

  /** Compresses blocks[lane] (1 or 2 channels, equal frames) in place, lane by lane. Never allocates. */
  void process(std::span<const AudioBlock> blocks) noexcept;
  /** The largest gain reduction of lane so far, in dB (>= 0). */
  double maxGainReductionDb(int lane) const noexcept { return state_.largestDb[lane]; }

  /** Settings and state, lane by lane; lanes past the last repeat the last one (their results are not used). */
  struct State {
    Lanes rmsCoefficient, minDb, maxDb, minLinear, maxLinear;
    Lanes thresholdDb, slope, kneeDb, attenuationLimitDb, attackCoefficient, releaseCoefficient;
    Lanes heldDb, valueDb, largestDb, makeup, mix;
    Lanes meanSquare[2];
  };

private:
  State state_;
  int lanes_ = 0;
  bool rms_ = false;
};

}  // namespace mixdown::dsp
