#include "mixdown/graph/plan.h"

#include <algorithm>

#include "mixdown/graph/lane_grouping.h"
#include "mixdown/graph/placed_sums.h"

namespace mixdown::graph {

EdgeGain gainOf(const Graph& graph, const Node& node, int send) {
  EdgeGain gain;
  gain.placement = node.kind == NodeKind::Master ? EdgeGain::Placement::Unity
                   : node.chainChannels == 1    ? EdgeGain::Placement::MonoPan
                                                : EdgeGain::Placement::Balance;
  gain.panLaw = graph.panLaw;
  gain.faderDb = &node.gainDb;
  gain.pan = &node.pan;
  if (send < 0) return gain;
  const SendStage& stage = node.sends[static_cast<size_t>(send)];
  gain.levelDb = &stage.levelDb;
  if (stage.preFader) gain.faderDb = nullptr;
  if (stage.pan) {
    gain.pan = nullptr;
    gain.fixedPan = *stage.pan;
  }
  return gain;
}

namespace {

/** The simple model: one step per node, every edge reading the buffer its tap names. */
ExecutionPlan compileSimple(const Graph& graph, const std::optional<std::vector<int>>& tappedNodes) {
  ExecutionPlan plan;
  plan.nodes.resize(graph.nodes.size());
  for (size_t level = 0; level < graph.levels.size(); ++level) {
    std::vector<PlanStep>& steps = plan.levels.emplace_back();
    for (int node : graph.levels[level]) {
      plan.nodes[static_cast<size_t>(node)].level = static_cast<int>(level);
      steps.push_back({node, -1});
    }
  }
  for (PlanNode& node : plan.nodes) node.tapped = !tappedNodes;
  if (tappedNodes)
    for (int node : *tappedNodes) plan.nodes[static_cast<size_t>(node)].tapped = true;
  // Each node's output and sends, then its inputs in the order they are summed, then its keys.
  std::vector<std::vector<int>> sendEdges(graph.nodes.size());
  std::vector<int> outputEdges(graph.nodes.size(), -1);
  for (size_t index = 0; index < graph.nodes.size(); ++index) {
    const Node& node = graph.nodes[index];
    PlanNode& planned = plan.nodes[index];
    if (node.outputNode >= 0) {
      planned.output = static_cast<int>(plan.edges.size());
      plan.edges.push_back({static_cast<int>(index), node.outputNode, {Tap::Point::PostFader, -1}, gainOf(graph, node, -1)});
    }
    for (size_t send = 0; send < node.sends.size(); ++send) {
      planned.sends.push_back(static_cast<int>(plan.edges.size()));
      plan.edges.push_back({static_cast<int>(index), node.sends[send].busNode, {Tap::Point::Send, static_cast<int>(send)},
                            gainOf(graph, node, static_cast<int>(send))});
    }
  }
  for (size_t index = 0; index < graph.nodes.size(); ++index) {
    const Node& node = graph.nodes[index];
    PlanNode& planned = plan.nodes[index];
    for (const SumInput& input : node.inputs) {
      const PlanNode& source = plan.nodes[static_cast<size_t>(input.sourceNode)];
      const int edge = input.sendIndex < 0 ? source.output : source.sends[static_cast<size_t>(input.sendIndex)];
      plan.edges[static_cast<size_t>(edge)].compensationFrames = input.compensationFrames;
      planned.inputs.push_back(edge);
    }
    for (size_t insert = 0; insert < node.inserts.size(); ++insert) {
      const std::optional<KeyRoute>& key = node.inserts[insert].key;
      planned.keys.push_back(key ? static_cast<int>(plan.edges.size()) : -1);
      if (key)
        plan.edges.push_back({key->sourceNode, static_cast<int>(index), {Tap::Point::Main, -1}, {}, key->keyDelayFrames,
                              static_cast<int>(insert)});
    }
  }
  return plan;
}

/** What each node writes and how many blocks of it it keeps, from what the steps and edges read. */
void planBuffers(const Graph& graph, ExecutionPlan& plan) {
  const int levels = static_cast<int>(plan.levels.size());
  plan.blocksAlive = std::min(std::max(levels, 1), ExecutionPlan::kMaxBlocksInFlight) + 1;
  // A block written at level L is read at level L' (a sum or a key) L' - L steps later, and by the
  // render (a tapped node) in the step after the last level; a node keeps one slot per step between,
  // and never more than blocksAlive.
  const auto readAt = [&](int source, int readerLevel) {
    NodeBuffers& buffers = plan.nodes[static_cast<size_t>(source)].buffers;
    const int steps = readerLevel - plan.nodes[static_cast<size_t>(source)].level + 1;
    buffers.ringDepth = std::max(buffers.ringDepth, std::min(steps, plan.blocksAlive));
  };
  for (PlanNode& node : plan.nodes) {
    node.buffers = NodeBuffers{};
    node.buffers.post = node.tapped;
    node.buffers.sends.assign(node.sends.size(), false);
    if (node.tapped) readAt(static_cast<int>(&node - plan.nodes.data()), levels);
    node.buffers.meterDepth = std::min(levels - node.level + 1, plan.blocksAlive);
  }
  for (const PlanEdge& edge : plan.edges) {
    readAt(edge.source, plan.nodes[static_cast<size_t>(edge.target)].level);
    NodeBuffers& source = plan.nodes[static_cast<size_t>(edge.source)].buffers;
    if (edge.tap.point == Tap::Point::Main || edge.placed) source.mainPerSlot = true;
    else if (edge.tap.point == Tap::Point::PostFader) source.post = true;
    else source.sends[static_cast<size_t>(edge.tap.send)] = true;
  }
  for (size_t index = 0; index < graph.nodes.size(); ++index) {
    PlanNode& node = plan.nodes[index];
    // The inputs add up in main; only a tapped node keeps their sum apart, for the render's sumInput().
    node.buffers.sum = node.tapped && graph.nodes[index].kind != NodeKind::Track;
    // The master's output is the mix (and its meter), read by no edge.
    if (graph.nodes[index].kind == NodeKind::Master) node.buffers.post = true;
  }
}

}  // namespace

ExecutionPlan compilePlan(Graph& graph, const std::optional<std::vector<int>>& tappedNodes, const PlanOptions& options) {
  ExecutionPlan plan = compileSimple(graph, tappedNodes);
  plan.options = options;
  if (options.laneGroups) groupLanes(graph, plan);
  if (options.placedSums) placeSums(graph, plan);
  planBuffers(graph, plan);
  return plan;
}

}  // namespace mixdown::graph
