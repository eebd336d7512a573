#include "mixdown/graph/build.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <set>
#include <stdexcept>

#include "mixdown/graph/parameter_automation.h"
#include "mixdown/graph/processor_factory.h"
#include "mixdown/session/check_routing.h"

namespace mixdown::graph {

namespace {

dsp::PanLaw panLawOf(session::PanLaw law) {
  switch (law) {
    case session::PanLaw::Minus3Db: return dsp::PanLaw::Minus3Db;
    case session::PanLaw::Minus4_5Db: return dsp::PanLaw::Minus4_5Db;
    case session::PanLaw::Minus6Db: return dsp::PanLaw::Minus6Db;
    case session::PanLaw::ZeroDb: return dsp::PanLaw::ZeroDb;
  }
  return dsp::PanLaw::Minus3Db;
}

int sourceChannelsOf(const session::Track& track, const session::SourceInfos& sources) {
  int channels = 1;
  for (const auto& clip : track.clips) {
    const int fileChannels = sources.at(clip.file).channels;
    const int selected = clip.channels.empty() ? fileChannels : static_cast<int>(clip.channels.size());
    channels = std::max(channels, std::min(selected, 2));
  }
  return channels;
}

void addStrip(Graph& graph, NodeKind kind, const session::Strip& strip) {
  Node node;
  node.kind = kind;
  node.name = strip.name;
  node.pointer = strip.pointer;
  node.gainDb = curveOf(strip.gainDb, graph.sampleRate);
  node.pan = curveOf(strip.pan, graph.sampleRate);
  node.invertPolarity = strip.invertPolarity;
  graph.nodes.push_back(std::move(node));
}

/**
 * Solo in place: when anything is soloed, a node is audible if it is soloed,
 * feeds a soloed node (through outputs and sends), or is fed by one.
 */
std::vector<bool> audibleUnderSolo(const Graph& graph, const std::vector<bool>& soloed) {
  const auto count = graph.nodes.size();
  if (std::none_of(soloed.begin(), soloed.end(), [](bool value) { return value; })) return std::vector<bool>(count, true);
  std::vector<std::vector<int>> downstream(count);
  std::vector<std::vector<int>> upstream(count);
  for (size_t index = 0; index < count; ++index) {
    const Node& node = graph.nodes[index];
    auto link = [&](int to) {
      downstream[index].push_back(to);
      upstream[static_cast<size_t>(to)].push_back(static_cast<int>(index));
    };
    if (node.outputNode >= 0) link(node.outputNode);
    for (const auto& send : node.sends) link(send.busNode);
  }
  std::vector<bool> audible(count, false);
  auto spread = [&](const std::vector<std::vector<int>>& links) {
    std::vector<int> pending;
    std::vector<bool> seen(count, false);
    for (size_t index = 0; index < count; ++index)
      if (soloed[index]) pending.push_back(static_cast<int>(index));
    while (!pending.empty()) {
      const auto current = static_cast<size_t>(pending.back());
      pending.pop_back();
      if (seen[current]) continue;
      seen[current] = true;
      audible[current] = true;
      for (int next : links[current]) pending.push_back(next);
    }
  };
  spread(downstream);
  spread(upstream);
  return audible;
}

/** Kahn's algorithm; ties go to the lower node index (session order). */
void orderNodes(Graph& graph, const std::vector<std::vector<int>>& dependents) {
  const auto count = graph.nodes.size();
  std::vector<int> pendingInputs(count, 0);
  for (const auto& targets : dependents)
    for (int target : targets) ++pendingInputs[static_cast<size_t>(target)];
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (size_t index = 0; index < count; ++index)
    if (pendingInputs[index] == 0) ready.push(static_cast<int>(index));
  std::vector<int> level(count, 0);
  while (!ready.empty()) {
    const int current = ready.top();
    ready.pop();
    graph.order.push_back(current);
    for (int target : dependents[static_cast<size_t>(current)]) {
      auto& targetLevel = level[static_cast<size_t>(target)];
      targetLevel = std::max(targetLevel, level[static_cast<size_t>(current)] + 1);
      if (--pendingInputs[static_cast<size_t>(target)] == 0) ready.push(target);
    }
  }
  if (graph.order.size() != count) throw std::logic_error("routing cycle reached the graph builder");
  for (int index : graph.order) {
    const auto nodeLevel = static_cast<size_t>(level[static_cast<size_t>(index)]);
    if (graph.levels.size() <= nodeLevel) graph.levels.resize(nodeLevel + 1);
    graph.levels[nodeLevel].push_back(index);
  }
}

/** Latencies in processing order: inputs aligned to their latest, keys aligned to their insert. */
void compensateLatency(Graph& graph) {
  for (int index : graph.order) {
    Node& node = graph.nodes[static_cast<size_t>(index)];
    int latency = 0;
    for (const auto& input : node.inputs)
      latency = std::max(latency, graph.nodes[static_cast<size_t>(input.sourceNode)].outputLatencyFrames);
    node.inputLatencyFrames = latency;
    for (auto& input : node.inputs)
      input.compensationFrames = latency - graph.nodes[static_cast<size_t>(input.sourceNode)].outputLatencyFrames;
    for (auto& stage : node.inserts) {
      if (stage.key) {
        const int keyLatency = graph.nodes[static_cast<size_t>(stage.key->sourceNode)].outputLatencyFrames;
        if (keyLatency > latency) {
          stage.key->mainDelayFrames = keyLatency - latency;
          latency = keyLatency;
        } else {
          stage.key->keyDelayFrames = latency - keyLatency;
        }
      }
      stage.inputLatencyFrames = latency;
      latency += stage.latencyFrames;
    }
    node.outputLatencyFrames = latency;
  }
}

/** Node::silentGapFrames, in processing order (inputs first). */
void measureSilentGaps(Graph& graph) {
  for (const int index : graph.order) {
    Node& node = graph.nodes[static_cast<size_t>(index)];
    int gap = 0;
    for (const SumInput& input : node.inputs)
      gap = std::max(gap, graph.nodes[static_cast<size_t>(input.sourceNode)].silentGapFrames);
    for (const auto& stage : node.inserts)
      if (!stage.bypass) gap += stage.processor->properties(stage.inputChannels).silentGapFrames;
    node.silentGapFrames = gap;
  }
}

}  // namespace

int Graph::nodeIndex(const std::string& name) const {
  const auto found = nodeByName.find(name);
  return found == nodeByName.end() ? -1 : found->second;
}

Graph buildGraph(const session::Session& session, const session::SourceInfos& sources, const BuildOptions& options) {
  Graph graph;
  graph.sampleRate = options.sampleRate;
  graph.maxBlockFrames = options.maxBlockFrames;
  graph.panLaw = panLawOf(session.panLaw);
  const ProcessorFactory factory = options.makeProcessor ? options.makeProcessor : ProcessorFactory(&makeProcessor);

  std::vector<const session::Strip*> strips;
  for (const auto& track : session.tracks) {
    addStrip(graph, NodeKind::Track, track);
    graph.nodes.back().track = &track;
    graph.nodes.back().sourceChannels = sourceChannelsOf(track, sources);
    strips.push_back(&track);
  }
  for (const auto& bus : session.buses) {
    addStrip(graph, NodeKind::Bus, bus);
    strips.push_back(&bus);
  }
  Node master;
  master.kind = NodeKind::Master;
  master.name = "master";
  master.pointer = "/master";
  master.gainDb = curveOf(session.master.gainDb, graph.sampleRate);
  graph.nodes.push_back(std::move(master));
  graph.masterNode = static_cast<int>(graph.nodes.size() - 1);
  for (size_t index = 0; index < graph.nodes.size(); ++index)
    graph.nodeByName.emplace(graph.nodes[index].name, static_cast<int>(index));

  const auto count = graph.nodes.size();
  std::vector<std::vector<int>> dependents(count);
  std::vector<bool> soloed(count, false);
  std::vector<bool> muted(count, false);
  for (size_t index = 0; index < strips.size(); ++index) {
    const session::Strip& strip = *strips[index];
    Node& node = graph.nodes[index];
    node.outputNode = strip.output == "master" ? graph.masterNode : graph.nodeIndex(strip.output);
    dependents[index].push_back(node.outputNode);
    for (const auto& send : strip.sends) {
      node.sends.push_back(SendStage{send.pointer, graph.nodeIndex(send.bus), curveOf(send.levelDb, graph.sampleRate),
                                     send.preFader, send.pan});
      dependents[index].push_back(node.sends.back().busNode);
    }
    soloed[index] = strip.solo;
    muted[index] = strip.mute;
  }
  // Summing inputs in a fixed order: by source node, main output before its sends.
  for (size_t index = 0; index < strips.size(); ++index) {
    const Node& node = graph.nodes[index];
    graph.nodes[static_cast<size_t>(node.outputNode)].inputs.push_back(SumInput{static_cast<int>(index), -1, 0});
    for (size_t send = 0; send < node.sends.size(); ++send)
      graph.nodes[static_cast<size_t>(node.sends[send].busNode)].inputs.push_back(
          SumInput{static_cast<int>(index), static_cast<int>(send), 0});
  }
  const std::vector<bool> audible = audibleUnderSolo(graph, soloed);
  for (size_t index = 0; index < count; ++index) graph.nodes[index].silenced = muted[index] || !audible[index];

  auto buildInserts = [&](size_t index, const std::vector<session::Insert>& inserts) {
    Node& node = graph.nodes[index];
    int channels = node.sourceChannels;
    for (const auto& insert : inserts) {
      InsertStage stage;
      stage.name = insert.name;
      stage.type = insert.type;
      stage.pointer = insert.pointer;
      stage.bypass = insert.bypass;
      stage.processor = factory(insert);
      stage.inputChannels = channels;
      stage.outputChannels = stage.processor->properties(channels).outputChannels;
      stage.processor->prepare(ProcessSpec{static_cast<double>(options.sampleRate), options.maxBlockFrames,
                                           stage.outputChannels});
      stage.processor->reset();
      const ProcessorProperties properties = stage.processor->properties(channels);
      stage.latencyFrames = properties.latencyFrames;
      node.tailFrames = std::max(node.tailFrames, properties.tailFrames);
      const auto sidechains = session::sidechainsOf(insert);
      if (!sidechains.empty()) {
        const int source = graph.nodeIndex(sidechains.front().source);
        stage.key = KeyRoute{source, 0, 0};
        dependents[static_cast<size_t>(source)].push_back(static_cast<int>(index));
      }
      channels = stage.outputChannels;
      node.inserts.push_back(std::move(stage));
    }
    node.chainChannels = channels;
  };
  for (size_t index = 0; index < strips.size(); ++index) buildInserts(index, strips[index]->inserts);
  buildInserts(static_cast<size_t>(graph.masterNode), session.master.inserts);

  orderNodes(graph, dependents);
  compensateLatency(graph);
  measureSilentGaps(graph);
  return graph;
}

}  // namespace mixdown::graph
