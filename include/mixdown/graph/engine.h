#pragma once
// Runs a Graph block by block. Each node owns its buffers and reads only the
// buffers of nodes processed before it, so the nodes of one level run in
// parallel and the result is bit-identical whatever the thread count.

#include <cstdint>
#include <memory>
#include <vector>

#include "mixdown/dsp/audio_block.h"
#include "mixdown/dsp/delay_line.h"
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

  /** Session frame one past the last clip of any track (track delays included). */
  std::int64_t contentEndFrame() const;

private:
  struct NodeState;
  void processNode(int node, std::int64_t startFrame, int frames);
  void sumInputs(int node, int frames);
  void runInserts(int node, std::int64_t startFrame, int frames);
  void faderAndSends(int node, std::int64_t startFrame, int frames);

  Graph& graph_;
  ThreadPool& pool_;
  std::vector<std::unique_ptr<NodeState>> states_;
};

}  // namespace mixdown::graph
