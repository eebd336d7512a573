#pragma once
// One node's processing of a block, the simple model of a mixer channel:
//
//   source:   a track reads its clips (polarity inverted if asked);
//             a bus or the master sums its input edges, each delayed by its
//             compensation (the sum kept apart when the node is tapped);
//   inserts:  in order, each with its key edge (delayed to meet the signal)
//             or, bypassed, as a pure delay of its latency;
//   outputs:  the fader and pan place the chain in stereo on its output edge
//             and its sends (edge_gain.h), constants or series per frame.
//
// What the strip writes and keeps is the plan's (plan.h, NodeBuffers): a ring
// of slots by block sequence; an edge the plan marks placed is never written
// by its source: its target adds the source's chain times the edge's gain
// itself, the same products in the same order. Meters and gain reductions are
// kept per block, so they can be read once the block has taken every level.

#include <memory>
#include <span>
#include <vector>

#include "mixdown/audio/audio_block.h"
#include "mixdown/dsp/delay_line.h"
#include "mixdown/graph/plan.h"
#include "mixdown/graph/scheduler.h"
#include "mixdown/io/track_source_reader.h"

namespace mixdown::graph {

/** Largest absolute sample seen at a node's taps (linear, full scale 1). */
struct NodeMeters {
  float inputPeak = 0.0f;       // the source (tracks) or the sum of the inputs (buses, master)
  float postInsertPeak = 0.0f;  // after the inserts, before the fader
  float outputPeak = 0.0f;      // what the node sends to its output
};

class Strip {
public:
  /** Sizes the buffers of graph.nodes[node] as plan says; opens a track's clips. */
  Strip(const Graph& graph, const ExecutionPlan& plan, int node);
  Strip(Strip&&) noexcept;
  ~Strip();

  /** The whole strip on block; strips: every node's, for its input and key edges. */
  void process(const Block& block, std::span<const Strip> strips);

  // The strip in its parts, for a lane group step (lane_group_step.h), which runs the first inserts.
  void readSource(const Block& block);
  /** The source as read, where the first inserts work on it in place. */
  AudioBlock source(const Block& block) { return signal(block, node_.sourceChannels); }
  void runInserts(const Block& block, int firstInsert, std::span<const Strip> strips);
  void placeOutputs(const Block& block);
  /** Keeps the meters and gain reductions so far as block's. */
  void keepMeters(const Block& block);

  /** Its post-fader output of block (the mix, for the master); only where the plan writes it. */
  ConstAudioBlock output(const Block& block) const;
  /** The aligned sum of its inputs in block, before polarity and inserts; tapped buses and the master only. */
  ConstAudioBlock sumInput(const Block& block) const;
  const NodeMeters& meters(const Block& block) const;
  /** Insert's largest gain reduction up to block (dB, >= 0; 0 without a meter). */
  double maxGainReductionDb(int insert, const Block& block) const;
  /** Insert's gain-reduction meter, wherever the insert runs (its processor or its lane batch); nullptr for none. */
  const GainReductionMeter* gainReductionMeter(int insert) const { return gainReductionMeters_[static_cast<size_t>(insert)]; }

private:
  struct Slot;
  struct Snapshot;
  /** An input edge: a delay when it is compensated, and its factors when placed. */
  struct Input {
    const PlanEdge* edge = nullptr;
    StereoFactors placedFactors;
    AudioBuffer delayed;
    dsp::DelayLine delay;
  };
  /** An insert's delays: its key's and the signal's to meet it, or a bypassed processor's latency. */
  struct InsertDelays {
    AudioBuffer key;
    dsp::DelayLine keyDelay, mainDelay, bypassDelay;
  };
  /** An output edge (its post-fader output, then each send): its gain and whether it writes a buffer. */
  struct Output {
    EdgeGain gain;
    StereoFactors constantFactors;  // when not automated
    bool written = true;
  };

  void sumInputs(const Block& block, std::span<const Strip> strips);
  /** The signal the inserts work on in place, with channels channels. */
  AudioBlock signal(const Block& block, int channels);
  Slot& slotOf(const Block& block);
  const Slot& slotOf(const Block& block) const;
  /** Its chain after the inserts in block, for a key or a placed edge. */
  ConstAudioBlock chain(const Block& block) const;
  /** Its post-fader output (tap.send -1) or a send of block, for an edge reading it. */
  ConstAudioBlock tap(const Tap& tap, const Block& block) const;

  const Node& node_;
  const NodeBuffers& buffers_;
  std::vector<Slot> slots_;  // ring by block sequence
  std::vector<Snapshot> snapshots_;  // ring by block sequence
  std::vector<Input> inputs_;
  std::vector<const PlanEdge*> keys_;  // per insert
  std::vector<InsertDelays> insertDelays_;
  std::vector<Output> outputs_;
  std::vector<const GainReductionMeter*> gainReductionMeters_;  // per insert
  std::unique_ptr<io::TrackSourceReader> reader_;
  NodeMeters meters_;  // over every block so far
  // The fader's linear gain and the pan per frame, when an output's gain moves with them, and scratch of EdgeGain::fill.
  bool needsFaderValues_ = false, needsPanValues_ = false;
  std::vector<double> faderGains_, pans_, levelScratch_;
  std::vector<float> leftGains_, rightGains_;
};

}  // namespace mixdown::graph
