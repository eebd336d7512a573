#pragma once
// Inserts of several tracks run side by side in vector lanes (simd_lanes.h):
// up to kLanes tracks whose chains start with processors of one batch kind
// run each such position as one LaneBatch: an EQ batch filters a lane per
// channel (kLanes channels per vector pass), a compressor batch a lane per
// track (linked over its channels).
//
// A processor offers batching through its contract
// (Processor::laneBatchOffer): the kind it can share a batch with and the
// function that makes the batch. The batch takes its members over and owns
// their state from then on; nothing else runs them.
//
// A batch computes, for every member, the very bits its processor would: the
// lanes are independent and each one repeats the processor's arithmetic. So
// grouping is invisible in the output; it only changes the speed.
//
// How tracks may be grouped is the kernels' business, not the graph's:
// LaneGroupPolicy says it.

#include <memory>
#include <span>
#include <vector>

#include "mixdown/audio/audio_block.h"
#include "mixdown/dsp/processor.h"
#include "mixdown/dsp/simd_lanes.h"

namespace mixdown::dsp {

/** A processor handed to a batch, and the channels (1 or 2) it sees. */
struct LaneBatchMember {
  std::unique_ptr<Processor> processor;
  int channels = 1;
};

class LaneBatch {
public:
  virtual ~LaneBatch() = default;
  /** Processes blocks[i] in place as member i would (blocks as the members and their channels). */
  virtual void process(std::span<const AudioBlock> blocks) noexcept = 0;
  /** Member's gain-reduction meter, or nullptr when it reduces no gain. */
  virtual const GainReductionMeter* gainReductionMeter(int member) const noexcept = 0;
};

/**
 * The constraints of the lane kernels on a group of tracks that share
 * batches, for the graph's lane grouping.
 */
struct LaneGroupPolicy {
  /** Tracks in one group: a lane each for a compressor, so a vector pass's worth. */
  static constexpr int kMaxMembers = kLanes;

  /**
   * Tracks whose batchable prefixes are equal (their channels, 1 or 2, in
   * session order) split into groups, as indices into channels: mono tracks
   * before stereo ones (stable otherwise), so that four mono or four stereo
   * tracks fill every vector pass of a compressor batch (a lane per track)
   * and of an EQ batch (a lane per channel); at most kMaxMembers per group;
   * no group of one, which gains nothing (its track runs on its own).
   */
  static std::vector<std::vector<int>> groups(std::span<const int> channels);
};

/** Makes the batch of members: the first member's offer's make() (every member must offer that kind). */
std::unique_ptr<LaneBatch> makeLaneBatch(std::vector<LaneBatchMember> members);

}  // namespace mixdown::dsp
