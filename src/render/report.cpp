#include "mixdown/render/report.h"

#include <algorithm>
#include <cmath>

namespace mixdown::render {

namespace {

using json = nlohmann::ordered_json;

const char* kindName(graph::NodeKind kind) {
  switch (kind) {
    case graph::NodeKind::Track: return "track";
    case graph::NodeKind::Bus: return "bus";
    case graph::NodeKind::Master: return "master";
  }
  return "track";
}

std::string bitDepthName(const session::FileOutput& format) {
  switch (format.bitDepth) {
    case session::BitDepth::Pcm16: return "16";
    case session::BitDepth::Pcm24: return "24";
    case session::BitDepth::Pcm32: return "32";
    case session::BitDepth::Float32: return "float";
  }
  return "24";
}

std::string signedDb(double linear) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.1f dBFS", 20.0 * std::log10(linear));
  return text;
}

}  // namespace

json roundedDb(double decibels) {
  if (!std::isfinite(decibels)) return nullptr;
  return std::round(decibels * 100.0) / 100.0;
}

json levelDb(double linear) {
  if (!(linear > 0.0)) return nullptr;
  return roundedDb(20.0 * std::log10(linear));
}

json outputEntry(const session::PlannedFile& file, const io::WrittenAudio& written, int fileRate) {
  const std::string depth = bitDepthName(*file.format);
  json bitDepth = depth == "float" ? json("float") : json(std::stoi(depth));
  if (written.container == "ogg" || written.container == "mp3") bitDepth = nullptr;
  return json{{"kind", file.kind == session::PlannedFile::Kind::Mix ? "mix" : "stem"},
              {"name", file.name},
              {"file", file.shownPath.generic_string()},
              {"channels", 2},
              {"sample_rate", fileRate},
              {"frames", written.frames},
              {"format", written.container},
              {"bit_depth", bitDepth},
              {"audio_sha256", written.audioSha256},
              {"sample_peak_dbfs", roundedDb(written.samplePeakDbfs)},
              {"rms_dbfs", roundedDb(written.rmsDbfs)},
              {"clipped_samples", written.clippedSamples}};
}

json nodeEntries(const graph::Graph& graph, const graph::Engine& engine) {
  json nodes = json::array();
  for (size_t index = 0; index < graph.nodes.size(); ++index) {
    const graph::Node& node = graph.nodes[index];
    const graph::NodeMeters& meters = engine.meters(static_cast<int>(index));
    json entry{{"name", node.name},
               {"kind", kindName(node.kind)},
               {"input_peak_dbfs", levelDb(meters.inputPeak)},
               {"output_peak_dbfs", levelDb(meters.outputPeak)},
               {"latency_frames", node.outputLatencyFrames}};
    bool hasDynamics = false;
    double maxReductionDb = 0.0;
    for (const auto& stage : node.inserts) {
      if (stage.bypass || !stage.processor->reducesGain()) continue;
      hasDynamics = true;
      maxReductionDb = std::max(maxReductionDb, stage.processor->maxGainReductionDb());
    }
    if (hasDynamics) entry["max_gain_reduction_db"] = roundedDb(maxReductionDb);
    nodes.push_back(std::move(entry));
  }
  return nodes;
}

json nodeWarnings(const graph::Graph& graph, const graph::Engine& engine) {
  json warnings = json::array();
  for (size_t index = 0; index < graph.nodes.size(); ++index) {
    const graph::Node& node = graph.nodes[index];
    const graph::NodeMeters& meters = engine.meters(static_cast<int>(index));
    const std::string label = std::string(kindName(node.kind)) + (node.kind == graph::NodeKind::Master ? "" : " \"" + node.name + "\"");
    // The master's own sum may exceed full scale before its fader without harm (float);
    // what counts there is what leaves it.
    if (meters.postInsertPeak > 1.0f && node.kind != graph::NodeKind::Master)
      warnings.push_back(label + " clips after its inserts (peak " + signedDb(meters.postInsertPeak) + ")");
    else if (meters.outputPeak > 1.0f)
      warnings.push_back(label + " clips after its fader (peak " + signedDb(meters.outputPeak) + ")");
  }
  return warnings;
}

}  // namespace mixdown::render
