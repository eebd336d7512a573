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

}  // namespace

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
