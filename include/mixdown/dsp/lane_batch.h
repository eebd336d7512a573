#pragma once
// Inserts of several tracks run side by side in vector lanes (simd_lanes.h):
// the graph groups up to kLanes tracks whose chains start with processors of
// one kind and runs each such position of the group as one LaneBatch: an EQ
// batch filters a lane per channel (kLanes channels per vector pass), a
// compressor batch a lane per track (linked over its channels).
//
// A batch computes, for every member, the very bits its processor would: the
// lanes are independent and each one repeats the processor's arithmetic. So
// grouping is invisible in the output; it only changes the speed. A batch owns
// the state of its members' processing from its creation on; the members'
// processors are not called while it runs.

#include <memory>
#include <optional>
#include <span>
#include <string>

#include "mixdown/dsp/audio_block.h"
#include "mixdown/dsp/processor.h"
#include "mixdown/dsp/simd_lanes.h"

namespace mixdown::dsp {

class LaneBatch {
public:
  virtual ~LaneBatch() = default;
  /** Processes blocks[i] in place as members[i] would (blocks as makeLaneBatch's members and channels). */
  virtual void process(std::span<const AudioBlock> blocks) noexcept = 0;
  /** The largest gain reduction of member since the batch began, in dB (>= 0); 0 for processors that reduce none. */
  virtual double maxGainReductionDb(int member) const noexcept = 0;
};

/**
 * The kind of batch processor can join, with what must match within one
 * batch (e.g. an EQ's number of sections): processors with equal keys can
 * share a batch. nullopt for a processor that never joins one: another type,
 * or an automated one (its parameters move per stride).
 */
std::optional<std::string> laneBatchKey(const Processor& processor);

/**
 * A batch of prepared members (equal laneBatchKey()s, in their state right
 * after prepare() or reset()): at most kLanes of them, members[i] seeing
 * channels[i] channels (1 or 2). May allocate.
 */
std::unique_ptr<LaneBatch> makeLaneBatch(std::span<const Processor* const> members, std::span<const int> channels);

}  // namespace mixdown::dsp
