#pragma once
// The interface every insert processor implements. The graph owns the buffers,
// calls prepare() once with the render spec, then process() block by block.

#include <cstdint>

#include "mixdown/dsp/audio_block.h"

namespace mixdown {

struct ProcessSpec {
  double sampleRate = 48000.0;
  int maxBlockFrames = 1024;
  int channels = 2;  // channels the processor will see in process() (its output channels)
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

  /**
   * Channels this processor outputs for the given input channels (1 or 2). A
   * processor that makes a mono signal stereo returns 2; the graph then copies
   * channel 0 into channel 1 before process() sees the block.
   */
  virtual int outputChannels(int inputChannels) const noexcept { return inputChannels; }
  /** Delay, in frames at the prepared rate, that the graph must compensate. */
  virtual int latencyFrames() const noexcept { return 0; }
  /** Frames of output that follow the end of the input (reverb, delay ring-out). */
  virtual int tailFrames() const noexcept { return 0; }
  /**
   * Longest stretch of silence the output can hold while signal is still
   * inside, to come out later (a delay's repeat time, a predelay). The
   * automatic tail waits at least this long before it decides the mix has
   * ended.
   */
  virtual int silentGapFrames() const noexcept { return 0; }
  /** Largest gain reduction applied since reset(), in dB (>= 0), for the report; dynamics processors only. */
  virtual double maxGainReductionDb() const noexcept { return 0.0; }
  /** Whether maxGainReductionDb() means something for this processor. */
  virtual bool reducesGain() const noexcept { return false; }
};

}  // namespace mixdown
