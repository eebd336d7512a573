#pragma once
// Runs a Graph block by block. Each node owns its buffers and reads only the
// buffers of nodes processed before it, so the nodes of one level run in
// parallel and the result is bit-identical whatever the thread count.
//
// Lane groups: tracks of one level whose chains begin with inserts of one kind
// (dsp::laneBatchKey) are processed together, those inserts as one
// dsp::LaneBatch per position, up to dsp::kLanes channels per group. Groups
// depend on the session alone, and a batch computes each member's very bits,
// so grouping changes the speed and never the output.

#include <cstdint>
#include <memory>
#include <vector>

#include "mixdown/dsp/audio_block.h"
#include "mixdown/dsp/delay_line.h"
#include "mixdown/dsp/lane_batch.h"
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
  /** Opens the track readers; graph must outlive the engine. */
  Engine(Graph& graph, ThreadPool& pool);
  ~Engine();

  /** Processes engine frames [startFrame, startFrame + frames); frames <= graph.maxBlockFrames. */
  void process(std::int64_t startFrame, int frames);

  /** What node sends to its output in the last block (stereo): its stem; the mix for the master. */
  ConstAudioBlock output(int node, int frames) const;
  /** The sum entering a bus or the master before its inserts, in the last block. */
  ConstAudioBlock sumInput(int node, int frames) const;
  const NodeMeters& meters(int node) const;
  /** The nodes of each lane group, in graph order (groups of two or more tracks). */
  std::vector<std::vector<int>> laneGroupMembers() const;
  /** The largest gain reduction of node's insert (dB, >= 0): its processor's, or its lane batch's. */
  double maxGainReductionDb(int node, int insert) const;

  /** Session frame one past the last clip of any track (track delays included). */
  std::int64_t contentEndFrame() const;

private:
  struct NodeState;
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
  void processTask(const Task& task, std::int64_t startFrame, int frames);
  void processGroup(int group, std::int64_t startFrame, int frames);
  void processNode(int node, std::int64_t startFrame, int frames);
  void readSource(int node, std::int64_t startFrame, int frames);
  void sumInputs(int node, int frames);
  /** Runs node's inserts from firstInsert on (those before ran in a lane batch). */
  void runInserts(int node, std::int64_t startFrame, int frames, size_t firstInsert);
  void faderAndSends(int node, std::int64_t startFrame, int frames);

  Graph& graph_;
  ThreadPool& pool_;
  std::vector<std::unique_ptr<NodeState>> states_;
  std::vector<LaneGroup> groups_;
  std::vector<std::vector<Task>> levelTasks_;  // per level of graph_.levels
};

}  // namespace mixdown::graph
