#pragma once
// Up to kLanes channels, each through its own cascade of second-order sections
// (every lane has the same number of sections; coefficients differ freely),
// filtered side by side in one vector pass: a stereo EQ's two channels, or the
// EQs of several tracks of a lane group (graph/engine.h, dsp/lane_batch.h).
//
// Each lane computes exactly biquad_step.h's transposed direct form II in
// double, as Biquad does, so a channel's output is the same bits whichever
// lane, group or instruction set filters it (simd_lanes.h).
//
// Decaying states are flushed deterministically by biquad_step.h's quiet-state
// rule, per section and lane, so the output never becomes subnormal even
// without FTZ/DAZ, and the result does not depend on how the signal is split
// into blocks. Sections count their quiet frames only in frames whose lane
// input is below kQuietLevel too (decay after the input stops), which keeps the
// check off the path of a signal. Output samples below kQuietLevel are written
// as 0, so every output is above FLT_MIN or exactly 0.
//
// How it runs (biquad_lanes.cpp): chunk by chunk, the sections of a cascade
// skewed, section k on frame n - k, so their recursions overlap instead of
// waiting for one another. The flush's bookkeeping lies on each section's
// recursion and would double its length, so a chunk with a quiet input first
// runs without it, keeping each lane's smallest output; only where that is
// tiny in a lane not already silent for good is the chunk run again with it.

#include <vector>

#include "mixdown/dsp/biquad.h"
#include "mixdown/dsp/simd_lanes.h"

namespace mixdown::dsp {

/** One section of every lane: coefficients, TDF-II state and the quiet count, lane by lane. */
struct LaneSection {
  Lanes b0, b1, b2, a1, a2;
  Lanes s1, s2;
  Lanes quietFrames;  // consecutive frames with input and output below kQuietLevel (0 .. kQuietFramesToFlush)
};

class BiquadCascadeLanes {
public:
  /** lanes (1 .. kLanes) cascades of sections each, passing signal through unchanged, state 0. May allocate. */
  void prepare(int lanes, int sections);
  int lanes() const noexcept { return lanes_; }
  int sections() const noexcept { return static_cast<int>(sections_.size()); }
  void setCoefficients(int lane, int section, const BiquadCoefficients& coefficients) noexcept;
  /** Clears every lane's state. */
  void reset() noexcept;

  /**
   * Filters frames of channels[lane] in place, for every lane (channels holds
   * lanes() pointers), with the sections' own coefficients, flushing decayed
   * state. Never allocates.
   */
  void process(float* const* channels, int frames) noexcept;
  /**
   * Filters frames of one lane's samples in place with moving coefficients:
   * section k takes ramps[k].next() at every frame (ramps holds sections()
   * ramps). No state is flushed while the coefficients move.
   */
  void processRamping(int lane, float* samples, int frames, BiquadCoefficientRamp* ramps) noexcept;

private:
  std::vector<LaneSection> sections_;
  std::vector<LaneSection> saved_;  // the kernel's copy of sections_ before a chunk it may filter twice
  LaneMask quietCountsValid_{};  // per lane: the sections' quietFrames count the lane's current quiet run
  int lanes_ = 0;
};

}  // namespace mixdown::dsp
