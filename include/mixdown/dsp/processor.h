#pragma once
// The contract every insert processor implements. The graph owns the buffers,
// calls prepare() once with the render spec, then process() block by block.
//
// Besides the three functions that run it, a processor answers three
// questions, each in one place:
//   properties()          what the graph plans with (channels, latency, tail, gap);
//   gainReductionMeter()  whether it reduces gain, and by how much (the report);
//   laneBatchOffer()      whether, and with whom, it can run side by side in
//                         vector lanes (lane_batch.h), and the batch that does it.
// Automation is the fourth part: a processor whose parameters can move
// implements Automatable<Params> (automated_processor.h), which says which of
// them move and how.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mixdown/audio/audio_block.h"

namespace mixdown {

struct ProcessSpec {
  double sampleRate = 48000.0;
  int maxBlockFrames = 1024;
  int channels = 2;  // channels the processor will see in process() (its output channels)
};

/** What the graph plans a processor with: outputChannels from construction on, the rest after prepare(). */
struct ProcessorProperties {
  /**
   * Channels it outputs for the input channels asked about (1 or 2). A
   * processor that makes a mono signal stereo says 2; the graph then copies
   * channel 0 into channel 1 before process() sees the block.
   */
  int outputChannels = 1;
  /** Delay, in frames at the prepared rate, that the graph must compensate. */
  int latencyFrames = 0;
  /** Frames of output that follow the end of the input (reverb, delay ring-out). */
  int tailFrames = 0;
  /**
   * Longest stretch of silence the output can hold while signal is still
   * inside, to come out later (a delay's repeat time, a predelay). The
   * automatic tail waits at least this long before it decides the mix has
   * ended.
   */
  int silentGapFrames = 0;
};

/** The gain reduction a dynamics processor (or a member of a lane batch) has applied, for the report. */
class GainReductionMeter {
public:
  /** The largest gain reduction since prepare() or reset(), in dB (>= 0). */
  virtual double maxGainReductionDb() const noexcept = 0;

protected:
  ~GainReductionMeter() = default;
};

namespace dsp {
class LaneBatch;
struct LaneBatchMember;
}  // namespace dsp

/**
 * A processor's offer to run in a lane batch (dsp/lane_batch.h): processors
 * whose offers have equal kinds can share one, which make() builds from them.
 */
struct LaneBatchOffer {
  /** What must match within one batch: the processor type and, e.g., an EQ's number of sections. */
  std::string kind;
  /**
   * Makes the batch of members (1 .. kLanes, all with offers of this kind, in
   * their state right after prepare() or reset()). The batch takes the
   * members over: it owns their state from then on. May allocate.
   */
  std::unique_ptr<dsp::LaneBatch> (*make)(std::vector<dsp::LaneBatchMember> members) = nullptr;
};

class Processor {
public:
  virtual ~Processor() = default;

  /** May allocate; turns time constants into coefficients for spec.sampleRate. */
  virtual void prepare(const ProcessSpec& spec) = 0;
  /** Clears state and snaps smoothers to their targets; never allocates. */
  virtual void reset() noexcept = 0;
  /**
   * Processes io in place. key is the sidechain input (empty when none is routed);
   * startFrame is the session frame of io's first frame. Never allocates, throws,
   * locks or logs.
   */
  virtual void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept = 0;

  /** What the graph plans with, for inputChannels (1 or 2) in (see ProcessorProperties for when). */
  virtual ProcessorProperties properties(int inputChannels) const noexcept { return {inputChannels}; }
  /** The processor's gain-reduction meter, or nullptr when it reduces no gain. */
  virtual const GainReductionMeter* gainReductionMeter() const noexcept { return nullptr; }
  /**
   * Its offer to run beside others in vector lanes when it sees inputChannels
   * (1 or 2) and no routed key, or nullopt when it cannot (another type, or
   * settings the lanes do not compute). After prepare().
   */
  virtual std::optional<LaneBatchOffer> laneBatchOffer(int /*inputChannels*/) const { return std::nullopt; }
  /**
   * What went wrong while it processed that makes its output wrong (an LV2
   * plugin's reported latency changed, so the graph's compensation no longer
   * holds), or nullopt. Read after the render's last block: the render then
   * fails naming the insert, and writes nothing.
   */
  virtual std::optional<std::string> renderProblem() const { return std::nullopt; }
};

}  // namespace mixdown
