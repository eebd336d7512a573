#pragma once
// The processing graph built from a session: one node per track, bus and the
// master; edges are outputs and sends (summed at buses and master) and
// sidechain keys (a second input of an insert). The node order is fixed
// (topological, session order breaks ties) and every path into a summing
// point or a key input is delay-compensated to the same latency.

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mixdown/dsp/pan.h"
#include "mixdown/dsp/parameter_curve.h"
#include "mixdown/dsp/processor.h"
#include "mixdown/session/model.h"

namespace mixdown::graph {

enum class NodeKind { Track, Bus, Master };

/** A sidechain key: the source node's post-insert signal, aligned to the insert's input. */
struct KeyRoute {
  int sourceNode = -1;
  int keyDelayFrames = 0;   // delays the key when it arrives earlier than the main signal
  int mainDelayFrames = 0;  // delays the main signal when the key arrives later
};

struct InsertStage {
  std::string name;
  std::string type;
  std::string pointer;
  bool bypass = false;
  std::unique_ptr<Processor> processor;
  int inputChannels = 1;
  int outputChannels = 1;
  int latencyFrames = 0;
  /** How late the signal entering the processor is against the session timeline: process() gets
      the session frame of its input (what automation is evaluated at), engine frame minus this. */
  int inputLatencyFrames = 0;
  std::optional<KeyRoute> key;
};

struct SendStage {
  std::string pointer;
  int busNode = -1;
  dsp::ParameterCurve levelDb;
  bool preFader = false;
  std::optional<double> pan;  // none: the source's pan (and its automation)
};

/** An input of a summing node: a node's main output (sendIndex -1) or one of its sends. */
struct SumInput {
  int sourceNode = -1;
  int sendIndex = -1;
  int compensationFrames = 0;
};

struct Node {
  NodeKind kind = NodeKind::Track;
  std::string name;
  std::string pointer;
  const session::Track* track = nullptr;  // tracks only
  int sourceChannels = 2;                 // channels entering the inserts
  int chainChannels = 2;                  // channels leaving the inserts
  std::vector<InsertStage> inserts;
  dsp::ParameterCurve gainDb;  // the fader, after the inserts
  dsp::ParameterCurve pan;
  bool invertPolarity = false;
  bool silenced = false;  // muted, or not audible under solo
  int outputNode = -1;    // -1 for the master
  std::vector<SendStage> sends;
  std::vector<SumInput> inputs;  // buses and master, in a fixed order
  int inputLatencyFrames = 0;
  int outputLatencyFrames = 0;
  int tailFrames = 0;  // longest declared processor tail in the chain
  /** Longest silence signal can leave at this node's output while more is still to come: the
      largest sum of Processor::silentGapFrames() along any path of active inserts that ends here. */
  int silentGapFrames = 0;
};

struct Graph {
  std::vector<Node> nodes;           // tracks, then buses, then the master (last)
  std::vector<int> order;            // processing order
  std::vector<std::vector<int>> levels;  // order grouped so each level depends only on earlier levels
  int masterNode = -1;
  dsp::PanLaw panLaw = dsp::PanLaw::Minus3Db;
  int sampleRate = 48000;
  int maxBlockFrames = 1024;

  std::unordered_map<std::string, int> nodeByName;  // every node's index by its name (filled by buildGraph)

  int nodeIndex(const std::string& name) const;  // -1 if none
  int totalLatencyFrames() const { return nodes[static_cast<size_t>(masterNode)].outputLatencyFrames; }
};

}  // namespace mixdown::graph
