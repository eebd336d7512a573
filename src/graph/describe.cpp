#include "mixdown/graph/describe.h"

#include <sstream>

namespace mixdown::graph {

namespace {

const char* kindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::Track: return "track";
    case NodeKind::Bus: return "bus";
    case NodeKind::Master: return "master";
  }
  return "track";
}

const char* channelName(int channels) { return channels == 1 ? "mono" : "stereo"; }

std::string inQuotes(const std::string& text) {
  std::string escaped = "\"";
  for (char character : text) {
    if (character == '"') escaped += '\\';
    escaped += character;
  }
  return escaped + "\"";
}

/** A level in dB, or "automated" for a level that follows automation. */
std::string formatDb(const dsp::ParameterCurve& decibels) {
  if (!decibels.isConstant()) return "automated level";
  std::ostringstream stream;
  stream.precision(3);
  stream << decibels.valueAt(0) << " dB";
  return stream.str();
}

/** A gain's factors, or "automated" for one that follows automation. */
std::string formatGain(const EdgeGain& gain) {
  if (gain.automated()) return "automated gain";
  const StereoFactors factors = gain.constant();
  std::ostringstream stream;
  stream.precision(6);
  stream << "gain " << factors.left << " left, " << factors.right << " right";
  return stream.str();
}

std::string tapName(const Tap& tap) {
  switch (tap.point) {
    case Tap::Point::Main: return "main";
    case Tap::Point::PostFader: return "post-fader";
    case Tap::Point::Send: return std::string("send ").append(std::to_string(tap.send + 1));
  }
  return "main";
}

std::string insertRange(int first, int last) {
  return first == last ? std::string("insert ").append(std::to_string(first))
                       : std::string("inserts ").append(std::to_string(first)).append("-").append(std::to_string(last));
}

/** What a node writes per block: the buffers of plan.h's NodeBuffers, in words. */
std::string buffersOf(const PlanNode& node) {
  const NodeBuffers& buffers = node.buffers;
  std::string text = std::string("ring of ").append(std::to_string(buffers.ringDepth)).append(buffers.ringDepth == 1 ? " slot" : " slots");
  text.append(buffers.mainPerSlot ? ": main per slot" : ": main once");
  if (buffers.sum) text.append(", sum");
  if (buffers.post) text.append(", post-fader");
  for (size_t send = 0; send < buffers.sends.size(); ++send)
    if (buffers.sends[send]) text.append(", send ").append(std::to_string(send + 1));
  return text;
}

}  // namespace

std::string describePlanAsText(const Graph& graph, const ExecutionPlan& plan) {
  const auto nameOf = [&](int node) { return inQuotes(graph.nodes[static_cast<size_t>(node)].name); };
  std::ostringstream text;
  text << "plan: " << plan.levels.size() << " levels, at most " << plan.blocksAlive << " blocks alive; lane groups "
       << (plan.options.laneGroups ? "on" : "off") << ", placed sums " << (plan.options.placedSums ? "on" : "off") << "\n";
  for (size_t level = 0; level < plan.levels.size(); ++level) {
    text << "level " << level + 1 << ":\n";
    for (const PlanStep& step : plan.levels[level]) {
      if (step.node >= 0) {
        text << "  strip " << nameOf(step.node) << "\n";
        continue;
      }
      const LaneGroupStep& group = plan.laneGroups[static_cast<size_t>(step.laneGroup)];
      text << "  lane group " << step.laneGroup + 1 << " (" << insertRange(1, static_cast<int>(group.batches.size()))
           << " batched):";
      for (size_t member = 0; member < group.members.size(); ++member) text << (member ? ", " : " ") << nameOf(group.members[member]);
      text << "\n";
    }
  }
  text << "nodes:\n";
  for (int index : graph.order) {
    const PlanNode& node = plan.nodes[static_cast<size_t>(index)];
    const Node& graphNode = graph.nodes[static_cast<size_t>(index)];
    text << "  " << kindName(graphNode.kind) << " " << nameOf(index) << ": " << buffersOf(node) << "; meters kept "
         << node.buffers.meterDepth << (node.buffers.meterDepth == 1 ? " block" : " blocks");
    if (node.tapped) text << "; tapped (" << (graphNode.kind == NodeKind::Master ? "mix" : "stem") << ")";
    if (node.laneGroup >= 0)
      text << "; " << insertRange(1, node.firstInsert) << " in lane group " << node.laneGroup + 1;
    text << "\n";
  }
  text << "edges:\n";
  for (int index : graph.order)
    for (const PlanEdge& edge : plan.edges) {
      if (edge.target != index) continue;
      text << "  " << nameOf(edge.source) << " " << tapName(edge.tap) << " -> " << nameOf(edge.target);
      if (edge.tap.point == Tap::Point::Main) text << " insert " << edge.keyInsert + 1 << " (key)";
      else text << ", " << formatGain(edge.gain) << (edge.placed ? ", placed" : ", read from its buffer");
      if (edge.compensationFrames > 0) text << ", delayed " << edge.compensationFrames << " frames";
      text << "\n";
    }
  return text.str();
}

std::string describeAsText(const Graph& graph) {
  std::ostringstream text;
  text << "sample rate " << graph.sampleRate << " Hz, total latency " << graph.totalLatencyFrames() << " frames\n";
  int position = 0;
  for (int index : graph.order) {
    const Node& node = graph.nodes[static_cast<size_t>(index)];
    text << ++position << ". " << kindName(node.kind) << " " << inQuotes(node.name) << ": "
         << channelName(node.sourceChannels) << " in, " << channelName(node.chainChannels) << " after inserts, latency "
         << node.inputLatencyFrames << " -> " << node.outputLatencyFrames << " frames";
    if (node.silenced) text << ", silent (mute or solo)";
    text << "\n";
    for (const auto& input : node.inputs) {
      const Node& source = graph.nodes[static_cast<size_t>(input.sourceNode)];
      text << "   <- " << inQuotes(source.name) << (input.sendIndex >= 0 ? " (send)" : "");
      if (input.compensationFrames > 0) text << ", delayed " << input.compensationFrames << " frames to align";
      text << "\n";
    }
    for (const auto& stage : node.inserts) {
      text << "   insert " << stage.type << " " << inQuotes(stage.name) << ": latency " << stage.latencyFrames << " frames";
      if (stage.bypass) text << ", bypassed";
      if (stage.key) {
        text << ", key from " << inQuotes(graph.nodes[static_cast<size_t>(stage.key->sourceNode)].name);
        if (stage.key->keyDelayFrames > 0) text << " delayed " << stage.key->keyDelayFrames << " frames";
        if (stage.key->mainDelayFrames > 0) text << ", signal delayed " << stage.key->mainDelayFrames << " frames to meet it";
      }
      text << "\n";
    }
    for (const auto& send : node.sends)
      text << "   send -> " << inQuotes(graph.nodes[static_cast<size_t>(send.busNode)].name) << " at "
           << formatDb(send.levelDb) << (send.preFader ? ", pre-fader" : ", post-fader") << "\n";
    if (node.outputNode >= 0)
      text << "   output -> " << inQuotes(graph.nodes[static_cast<size_t>(node.outputNode)].name) << "\n";
  }
  return text.str();
}

std::string describeAsDot(const Graph& graph) {
  std::ostringstream dot;
  dot << "digraph mixdown {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n";
  for (int index : graph.order) {
    const Node& node = graph.nodes[static_cast<size_t>(index)];
    std::string label = node.name + "\\n" + kindName(node.kind) + ", latency " + std::to_string(node.outputLatencyFrames);
    for (const auto& stage : node.inserts)
      label += "\\n" + stage.type + " " + stage.name + " (" + std::to_string(stage.latencyFrames) + ")";
    dot << "  n" << index << " [label=" << inQuotes(label) << (node.silenced ? ", style=dashed" : "") << "];\n";
  }
  for (size_t index = 0; index < graph.nodes.size(); ++index) {
    const Node& node = graph.nodes[index];
    for (const auto& input : node.inputs) {
      dot << "  n" << input.sourceNode << " -> n" << index;
      std::string label;
      if (input.sendIndex >= 0) {
        const SendStage& send =
            graph.nodes[static_cast<size_t>(input.sourceNode)].sends[static_cast<size_t>(input.sendIndex)];
        label = "send " + formatDb(send.levelDb) + (send.preFader ? " pre" : "");
      }
      if (input.compensationFrames > 0) label += (label.empty() ? "" : ", ") + std::string("+") + std::to_string(input.compensationFrames) + " frames";
      dot << " [" << (input.sendIndex >= 0 ? "style=dashed, " : "") << "label=" << inQuotes(label) << "];\n";
    }
    for (const auto& stage : node.inserts)
      if (stage.key)
        dot << "  n" << stage.key->sourceNode << " -> n" << index << " [style=dotted, label=" << inQuotes("key " + stage.name) << "];\n";
  }
  dot << "}\n";
  return dot.str();
}

}  // namespace mixdown::graph
