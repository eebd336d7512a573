#pragma once
// Runs a Graph block by block. Each node owns its buffers and reads only the
// buffers of nodes processed before it, so the nodes of one level run in
// parallel and the result is bit-identical whatever the thread count.
//
// Pipelining (step()): a block takes one graph level per step, so while the
// master mixes block n, the buses take block n + 1 and the tracks block
// n + 2, all in one parallel batch, with the render's writing and metering
// of the block before as extra tasks. Each node keeps a ring of buffer slots
// (post, sends, sum; main too when it is a key's source) as deep as the steps
// between its writing a block and the last read of it, by a later level or,
// for a tapped node, by the caller during the next step; its meters and gain
// reductions are kept per block until it completes. No task reads what
// another is writing, so the bits stay those of process(), whatever the threads.
//
// At most kMaxBlocksInFlight blocks are in flight: a graph deeper than that
// (a long chain of buses) takes a new block only when the oldest completes,
// so a node's ring never holds more than kMaxBlocksInFlight + 1 slots and the
// engine's memory grows with the nodes, not with nodes times levels.
//
// Lane groups: tracks of one level whose chains begin with inserts offering
// one batch kind (Processor::laneBatchOffer) are processed together, those
// inserts as one dsp::LaneBatch per position, which takes their processors
// over; the groups are the ones dsp::LaneGroupPolicy forms. Groups depend on
// the session alone, and a batch computes each member's very bits, so
// grouping changes the speed and never the output.
//
// A node that nobody taps, with constant gains and not silenced, writes no
// output or send buffers: the sums that read it place its chain themselves
// (the same float products, added in the same order), which halves the
// traffic through the busiest buffers and changes no bit. Its chain is then
// kept per slot, as a key source's is.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "mixdown/audio/audio_block.h"
#include "mixdown/dsp/delay_line.h"
#include "mixdown/dsp/lane_batch.h"
#include "mixdown/dsp/pan.h"
#include "mixdown/graph/graph.h"
#include "mixdown/io/track_source_reader.h"
#include "mixdown/util/thread_pool.h"

namespace mixdown::graph {

/** Largest absolute sample seen at a node's taps (linear, full scale 1). */
struct NodeMeters {
  float inputPeak = 0.0f;       // the source (tracks) or the sum of the inputs (buses, master)
  float postInsertPeak = 0.0f;  // after the inserts, before the fader
  float outputPeak = 0.0f;      // what the node sends to its output
};

class Engine {
public:
  /** Blocks in flight at most; a graph with fewer levels has at most one per level. */
  static constexpr size_t kMaxBlocksInFlight = 16;

  /** A placement in stereo: the left output is the first channel times left, the right the last times right. */
  struct Factors {
    float left = 1.0f;
    float right = 1.0f;
  };

  /**
   * Opens the track readers; graph must outlive the engine. tappedNodes: the
   * nodes whose output() the caller reads (the render's outputs); all when
   * none is given. Others keep only the slots their graph readers need.
   */
  Engine(Graph& graph, ThreadPool& pool, std::optional<std::vector<int>> tappedNodes = std::nullopt);
  ~Engine();

  /**
   * Processes engine frames [startFrame, startFrame + frames) through every
   * level; frames <= graph.maxBlockFrames. Not while step() has blocks in flight.
   */
  void process(std::int64_t startFrame, int frames);
  /**
   * One pipeline step: a new block of frames at startFrame enters the first
   * level (none when startFrame is empty), every block in flight takes its
   * next level, and extraTask(0 .. extraTasks - 1) run in the same parallel
   * batch (they must not touch the engine's state). A block that has taken
   * every level is completed: output() and the rest read it until the end
   * of the next step. Blocks must enter in order, each frames long, and only
   * when acceptsBlock().
   */
  void step(std::optional<std::int64_t> startFrame, int frames, int extraTasks,
            const std::function<void(int)>& extraTask);
  /** The first engine frame of the block the last process() or step() completed; none if it completed none. */
  std::optional<std::int64_t> completedStartFrame() const noexcept;
  /** Whether no block is in flight (every block that entered is completed). */
  bool pipelineEmpty() const noexcept;
  /** Whether the next step() may take a new block: fewer than kMaxBlocksInFlight (and than the levels) are in flight. */
  bool acceptsBlock() const noexcept;

  /**
   * What node sends to its output in the completed block (stereo): its stem; the mix for the master.
   * Only for tapped nodes (all when the constructor was given no list): others keep only the slots
   * their graph readers need, and some write no output at all; for those it throws std::logic_error.
   */
  ConstAudioBlock output(int node, int frames) const;
  /** The sum entering a bus or the master (not a track) before its inserts, in the completed block; tapped nodes only. */
  ConstAudioBlock sumInput(int node, int frames) const;
  /** The node's meters over every block up to the completed one. */
  const NodeMeters& meters(int node) const;
  /** The nodes of each lane group, in graph order (groups of two or more tracks). */
  std::vector<std::vector<int>> laneGroupMembers() const;
  /** The largest gain reduction of node's insert up to the completed block (dB, >= 0). */
  double maxGainReductionDb(int node, int insert) const;
  /** Whether node's insert reduces gain (has a gain-reduction meter), wherever it runs. */
  bool reducesGain(int node, int insert) const;

private:
  struct NodeBlock;
  struct MeterSnapshot;
  struct NodeState;
  /** A block on its way through the levels. */
  struct InFlight {
    std::int64_t sequence = 0;  // blocks entered before it
    std::int64_t startFrame = 0;
    int frames = 0;
    int level = 0;  // the next level it takes
  };
  /** Tracks whose first batchedInserts inserts run as lane batches. */
  struct LaneGroup {
    std::vector<int> members;  // nodes, in graph order
    std::vector<std::unique_ptr<dsp::LaneBatch>> batches;  // per insert position
  };
  /** What one task of a level processes: a node, or a lane group. */
  struct Task {
    int node = -1;
    int group = -1;
  };

  void formLaneGroups();
  void processTask(const Task& task, const InFlight& block);
  // `sequence` is the block's: how many blocks entered before it.
  void processGroup(int group, std::int64_t sequence, std::int64_t startFrame, int frames);
  void processNode(int node, std::int64_t sequence, std::int64_t startFrame, int frames);
  NodeBlock& slotOf(int node, std::int64_t sequence);
  /** The node's main buffer for the block: its slot's for a key's source, else the one buffer. */
  AudioBuffer& mainOf(int node, std::int64_t sequence);
  const NodeBlock& completedBlock(int node) const;
  const MeterSnapshot& completedSnapshot(int node) const;
  void readSource(int node, std::int64_t sequence, std::int64_t startFrame, int frames);
  void sumInputs(int node, std::int64_t sequence, int frames);
  /** Runs node's inserts from firstInsert on (those before ran in a lane batch). */
  void runInserts(int node, std::int64_t sequence, std::int64_t startFrame, int frames, size_t firstInsert);
  void faderAndSends(int node, std::int64_t sequence, std::int64_t startFrame, int frames);
  /** The gains that place node's chain at pan: a mono chain is panned, a stereo one balanced; the master's are 1. */
  dsp::StereoGains stereoGainsOf(const Node& node, double pan) const;
  /** An unautomated node's factors: [0] its output's, [1 + i] send i's. */
  std::vector<Factors> constantFactorsOf(const Node& node) const;
  /** Keeps node's meters and gain reductions so far in its snapshot of the block. */
  void keepMeters(int node, std::int64_t sequence);
  /** Task index of the current step(): an extra task, or a level's task of a block in flight. */
  void runStepTask(int index);
  /** Node's insert's gain-reduction meter: its processor's, or its lane batch's; nullptr for none. */
  const GainReductionMeter* gainReductionMeterOf(int node, int insert) const;
  /** The largest gain reduction of node's insert so far (0 without a meter). */
  double currentGainReductionDb(int node, int insert) const;

  Graph& graph_;
  ThreadPool& pool_;
  int depth_ = 2;  // blocks that can be in flight or just completed: min(levels, kMaxBlocksInFlight) + 1
  std::int64_t nextSequence_ = 0;
  std::vector<InFlight> inFlight_;  // oldest first; capacity depth_
  std::optional<InFlight> completed_;
  /** A task of a step: one of the caller's extra tasks, or a level's task of a block in flight. */
  struct StepTask {
    int extra = -1;  // the caller's task index, or -1
    size_t block = 0, task = 0;
    size_t timing = 0;    // the task's entry in taskSeconds_ (the same task in every step)
    size_t position = 0;  // before sorting: the caller's tasks first, then the oldest block's
  };
  std::vector<StepTask> stepTasks_;  // longest first (by taskSeconds_)
  // How long each task took the last time it ran: the levels' tasks (from levelTiming_), then the
  // caller's extra tasks. A step runs its longest tasks first, so the cores finish it together.
  std::vector<double> taskSeconds_;
  std::vector<size_t> levelTiming_;  // per level: its first task's entry in taskSeconds_
  size_t levelTasksInAll_ = 0;
  std::function<void(int)> stepRunner_;
  const std::function<void(int)>* stepExtraTask_ = nullptr;
  std::vector<std::unique_ptr<NodeState>> states_;
  std::vector<LaneGroup> groups_;
  std::vector<std::vector<Task>> levelTasks_;  // per level of graph_.levels
};

}  // namespace mixdown::graph
