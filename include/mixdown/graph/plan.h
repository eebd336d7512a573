#pragma once
// A Graph compiled once into what the engine executes: levels of steps, the
// edges between nodes with their gains and compensation, and the buffers each
// node keeps. Building it is two stages:
//
//   compile:  the simple model. One step per node; every node writes its main
//             signal, its post-fader output and each send; every edge reads
//             the buffer its tap names.
//   rewrite:  optimisations, each in its own file and each bit-neutral
//             (lane_grouping.h, placed_sums.h), switched by PlanOptions.
//
// Then the buffers and ring depths follow from what the steps and edges read.
// `mixdown graph --plan` prints the result (describe_plan.h).
//
// Pipelining (scheduler.h): a block takes one level per step, so a node's
// buffers are a ring of slots, one per block that can be alive between its
// writing a block and the last read of it (by a later level, or by the
// render's outputs, the level after the last).

#include <memory>
#include <optional>
#include <vector>

#include "mixdown/graph/edge_gain.h"
#include "mixdown/graph/graph.h"
#include "mixdown/graph/lane_group_step.h"

namespace mixdown::graph {

/** Where an edge leaves its source: the main signal after the inserts (a key), the post-fader output, or a send. */
struct Tap {
  enum class Point { Main, PostFader, Send };
  Point point = Point::PostFader;
  int send = -1;  // Send: the source's send index
};

struct PlanEdge {
  int source = -1;
  int target = -1;
  Tap tap;
  EdgeGain gain;               // PostFader and Send taps
  int compensationFrames = 0;  // the delay that aligns it at the target
  int keyInsert = -1;          // a key (Main tap): the target's insert it keys
  /** Summed by the target from the source's main (placed_sums.h): the source writes no buffer for it. */
  bool placed = false;
};

/** What a node keeps of each block: a ring of ringDepth slots. */
struct NodeBuffers {
  int ringDepth = 1;
  int meterDepth = 1;        // snapshots of the meters, read once the block completed
  bool mainPerSlot = false;  // main kept per slot: read by a key or a placed edge at a later level
  bool sum = false;          // the aligned sum of the inputs kept apart (tapped buses and the master)
  bool post = true;          // writes its post-fader output
  std::vector<bool> sends;   // writes send i
};

struct PlanNode {
  int level = 0;
  bool tapped = false;      // the render reads its output: the mix (master) or a stem
  int laneGroup = -1;       // the lane group step that runs its first inserts
  int laneMember = -1;      // its index in that group
  int firstInsert = 0;      // inserts before it run in the lane group's batches
  std::vector<int> inputs;  // edges summed here, in order
  std::vector<int> keys;    // per insert: its key edge, or -1
  int output = -1;          // its post-fader edge to its output node (-1 for the master)
  std::vector<int> sends;   // per send: its edge
  NodeBuffers buffers;
};

/** A step of a level: one node's strip, or one lane group. */
struct PlanStep {
  int node = -1;
  int laneGroup = -1;
};

/** Each rewrite can be switched off; the output is the same bits either way. */
struct PlanOptions {
  bool laneGroups = true;
  bool placedSums = true;
};

struct ExecutionPlan {
  /** Blocks in flight in the levels at most; a graph with fewer levels has at most one per level. */
  static constexpr int kMaxBlocksInFlight = 16;

  PlanOptions options;
  std::vector<std::vector<PlanStep>> levels;
  std::vector<PlanNode> nodes;  // as graph.nodes
  std::vector<PlanEdge> edges;
  std::vector<LaneGroupStep> laneGroups;
  /** Blocks alive at once: in flight in the levels, or at the render's outputs: min(levels, kMaxBlocksInFlight) + 1. */
  int blocksAlive = 2;
};

/** The gain of node's output (send -1) or of its send: the node's fader and pan, a send's level and own pan. */
EdgeGain gainOf(const Graph& graph, const Node& node, int send);

/**
 * Compiles graph (prepared processors, in their state after prepare) into a
 * plan: tappedNodes are the nodes whose output the caller reads after the last
 * level (the render's outputs); all when none is given. Lane grouping moves
 * the grouped inserts' processors into the plan's batches.
 */
ExecutionPlan compilePlan(Graph& graph, const std::optional<std::vector<int>>& tappedNodes, const PlanOptions& options);

}  // namespace mixdown::graph
