#include "mixdown/render/report.h"

#include <algorithm>
#include <cmath>

#include "mixdown/analysis/measurement_json.h"
#include "mixdown/audio/decibels.h"

namespace mixdown::render {

namespace {

using json = nlohmann::ordered_json;

constexpr double kDcOffsetWarningAmplitude = 0.001;  // -60 dBFS
constexpr double kTruePeakWarningDbtp = -1.0;
constexpr double kMonoFoldDownWarningLu = 3.0;
constexpr double kLimiterLossWarningLu = 0.1;
constexpr double kTargetToleranceLu = 0.1;

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

std::string formatted(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string signedDb(double linear) { return formatted("%+.1f dBFS", audio::gainToDb(linear)); }

}  // namespace

json roundedDb(double decibels) { return analysis::roundedDbOrNull(decibels); }

json levelDb(double linear) {
  if (!(linear > 0.0)) return nullptr;
  return roundedDb(audio::gainToDb(linear));
}

json outputEntry(const session::PlannedFile& file, const io::WrittenAudio& written, int fileRate,
                 const analysis::AudioMeasurement& measured) {
  const std::string depth = bitDepthName(*file.format);
  json bitDepth = depth == "float" ? json("float") : json(std::stoi(depth));
  if (written.container == "ogg" || written.container == "mp3") bitDepth = nullptr;
  json entry{{"kind", file.kind == session::PlannedFile::Kind::Mix ? "mix" : "stem"},
             {"name", file.name},
             {"file", file.shownPath.generic_string()},
             {"channels", 2},
             {"sample_rate", fileRate},
             {"frames", written.frames},
             {"format", written.container},
             {"bit_depth", bitDepth},
             {"audio_sha256", written.audioSha256}};
  analysis::addLoudnessFields(entry, measured.loudness);
  entry["sample_peak_dbfs"] = roundedDb(written.samplePeakDbfs);
  entry["rms_dbfs"] = roundedDb(written.rmsDbfs);
  analysis::addBalanceFields(entry, measured.statistics);
  entry["clipped_samples"] = written.clippedSamples;
  return entry;
}

void addOutputWarnings(const session::PlannedFile& file, const io::WrittenAudio& written,
                       const analysis::AudioMeasurement& measured, RenderWarnings& warnings) {
  namespace code = warning_code;
  const std::string name = file.shownPath.generic_string() + ": ";
  const auto warn = [&](const char* kind, const std::string& message) { warnings.add(kind, file.pointer, message); };
  if (written.clippedSamples > 0)
    warn(code::kClippedSamples, name + std::to_string(written.clippedSamples) + " samples clipped at full scale");
  const analysis::SignalStatistics& statistics = measured.statistics;
  if (statistics.dcOffset && std::abs(*statistics.dcOffset) > kDcOffsetWarningAmplitude)
    warn(code::kDcOffset, name + "DC offset of " + formatted("%+.5f", *statistics.dcOffset) + " (" +
                       formatted("%.1f dBFS", audio::gainToDb(std::abs(*statistics.dcOffset))) +
                       "): a highpass on the source that carries it removes it");
  if (file.kind != session::PlannedFile::Kind::Mix) return;
  const analysis::LoudnessMeasurement& loudness = measured.loudness;
  if (loudness.truePeakDbtp && *loudness.truePeakDbtp > kTruePeakWarningDbtp)
    warn(code::kTruePeak, name + "true peak " + formatted("%+.2f dBTP", *loudness.truePeakDbtp) +
                       " is above -1 dBTP: lossy encoding and playback converters may clip (a true-peak limiter "
                       "or master.loudness fixes it)");
  if (statistics.correlation && *statistics.correlation < 0.0)
    warn(code::kNegativeCorrelation, name + "left/right correlation " + formatted("%.2f", *statistics.correlation) +
                       " is negative: the mix is not mono-compatible");
  if (loudness.integratedLufs && loudness.monoFoldDownLufs &&
      *loudness.monoFoldDownLufs < *loudness.integratedLufs - kMonoFoldDownWarningLu)
    warn(code::kMonoLoss, name + "the mono fold-down is " +
                       formatted("%.1f", *loudness.integratedLufs - *loudness.monoFoldDownLufs) +
                       " LU quieter than the stereo mix: parts cancel in mono");
  else if (loudness.integratedLufs && !loudness.monoFoldDownLufs)
    warn(code::kMonoLoss, name + "the mono fold-down is silent: left and right cancel completely");
}

json normalizationEntry(const session::Loudness& loudness, const NormalizationResult& result) {
  return json{{"target_lufs", loudness.targetLufs},
              {"true_peak_ceiling_dbtp", loudness.truePeakDbtp},
              {"input_integrated_lufs", analysis::roundedDbOrNull(result.inputLufs)},
              {"gain_db", roundedDb(result.gainDb)},
              {"limiter_max_reduction_db", roundedDb(result.limiterMaxReductionDb)},
              {"limiter_loudness_loss_lu", roundedDb(result.limiterLossLu)},
              {"integrated_lufs", analysis::roundedDbOrNull(result.outputLufs)}};
}

void addNormalizationWarnings(const session::Loudness& loudness, const NormalizationResult& result, RenderWarnings& warnings) {
  namespace code = warning_code;
  const std::string pointer = "/master/loudness";
  if (!result.inputLufs) {
    warnings.add(code::kSilentMaster, pointer, "master.loudness: the master is silent (no integrated loudness), so it was not normalised");
    return;
  }
  // Raised: the gain is above the plain one (target - input), the search having made up for the limiter.
  const bool raised = result.gainDb > loudness.targetLufs - *result.inputLufs + 0.005;
  if (result.limiterLossLu > kLimiterLossWarningLu)
    warnings.add(code::kLimiterLoss, pointer, "master.loudness: the true-peak limiter takes " + formatted("%.2f", result.limiterLossLu) +
                       " LU off the normalised master (up to " + formatted("%.1f", result.limiterMaxReductionDb) +
                       " dB of reduction)" + (raised ? "; the gain was raised to make up for it" : ""));
  if (!result.outputLufs || std::abs(*result.outputLufs - loudness.targetLufs) <= kTargetToleranceLu) return;
  const std::string reached = "master.loudness: the master reaches " + formatted("%.2f LUFS", *result.outputLufs) +
                              ", " + formatted("%.2f LU", std::abs(loudness.targetLufs - *result.outputLufs)) +
                              (*result.outputLufs < loudness.targetLufs ? " short of" : " above") + " the target " +
                              formatted("%.1f LUFS", loudness.targetLufs);
  if (result.ceilingBound)
    warnings.add(code::kTargetMissed, pointer, reached + ": the true-peak ceiling of " + formatted("%.1f dBTP", loudness.truePeakDbtp) +
                       " does not leave room for more (at a gain of " + formatted("%.2f dB", result.gainDb) +
                       " the limiter reduces up to " + formatted("%.1f dB", result.limiterMaxReductionDb) +
                       "; normalisation makes up at most 12 dB of what limiting takes, beyond that it would crush "
                       "the master)");
  else
    warnings.add(code::kTargetMissed, pointer, reached + ": no gain tried came nearer (the limited loudness does not grow steadily with "
                       "the gain; the nearest was at " + formatted("%.2f dB", result.gainDb) + ")");
}

namespace {

/** The session's /tracks/N, /buses/N or /master for node. */
std::string nodePointer(const session::Session& session, const graph::Node& node) {
  const auto indexIn = [&](const auto& strips) {
    for (std::size_t index = 0; index < strips.size(); ++index)
      if (strips[index].name == node.name) return index;
    return strips.size();
  };
  if (node.kind == graph::NodeKind::Track) return session::childPointer("/tracks", indexIn(session.tracks));
  if (node.kind == graph::NodeKind::Bus) return session::childPointer("/buses", indexIn(session.buses));
  return "/master";
}

}  // namespace

/** Each active dynamics insert's largest gain reduction: name, type, max_gain_reduction_db. */
json dynamicsEntries(const graph::Graph& graph, const graph::Engine& engine, const graph::Block& lastBlock, int nodeIndex) {
  json inserts = json::array();
  const graph::Node& node = graph.nodes[static_cast<size_t>(nodeIndex)];
  for (size_t index = 0; index < node.inserts.size(); ++index) {
    const graph::InsertStage& stage = node.inserts[index];
    if (!stage.bypass && engine.reducesGain(nodeIndex, static_cast<int>(index)))
      inserts.push_back(json{{"name", stage.name},
                             {"type", stage.type},
                             {"max_gain_reduction_db", roundedDb(engine.maxGainReductionDb(nodeIndex, static_cast<int>(index), lastBlock))}});
  }
  return inserts;
}

json nodeEntries(const graph::Graph& graph, const graph::Engine& engine, const graph::Block& lastBlock) {
  json nodes = json::array();
  for (size_t index = 0; index < graph.nodes.size(); ++index) {
    const graph::Node& node = graph.nodes[index];
    const graph::NodeMeters& meters = engine.meters(static_cast<int>(index), lastBlock);
    json entry{{"name", node.name},
               {"kind", kindName(node.kind)},
               {"input_peak_dbfs", levelDb(meters.inputPeak)},
               {"output_peak_dbfs", levelDb(meters.outputPeak)},
               {"latency_frames", node.outputLatencyFrames}};
    bool hasDynamics = false;
    double maxReductionDb = 0.0;
    for (size_t insert = 0; insert < node.inserts.size(); ++insert) {
      const graph::InsertStage& stage = node.inserts[insert];
      if (stage.bypass || !engine.reducesGain(static_cast<int>(index), static_cast<int>(insert))) continue;
      hasDynamics = true;
      maxReductionDb = std::max(maxReductionDb, engine.maxGainReductionDb(static_cast<int>(index), static_cast<int>(insert), lastBlock));
    }
    if (hasDynamics) {
      entry["max_gain_reduction_db"] = roundedDb(maxReductionDb);
      entry["dynamics"] = dynamicsEntries(graph, engine, lastBlock, static_cast<int>(index));
    }
    nodes.push_back(std::move(entry));
  }
  return nodes;
}

void addNodeWarnings(const session::Session& session, const graph::Graph& graph, const graph::Engine& engine,
                     const graph::Block& lastBlock, RenderWarnings& warnings) {
  for (size_t index = 0; index < graph.nodes.size(); ++index) {
    const graph::Node& node = graph.nodes[index];
    const graph::NodeMeters& meters = engine.meters(static_cast<int>(index), lastBlock);
    const std::string label = std::string(kindName(node.kind)) + (node.kind == graph::NodeKind::Master ? "" : " \"" + node.name + "\"");
    // The master's own sum may exceed full scale before its fader without harm (float);
    // what counts there is what leaves it.
    if (meters.postInsertPeak > 1.0f && node.kind != graph::NodeKind::Master)
      warnings.add(warning_code::kNodeClipping, nodePointer(session, node),
                   label + " clips after its inserts (peak " + signedDb(meters.postInsertPeak) + ")");
    else if (meters.outputPeak > 1.0f)
      warnings.add(warning_code::kNodeClipping, nodePointer(session, node),
                   label + " clips after its fader (peak " + signedDb(meters.outputPeak) + ")");
  }
}

}  // namespace mixdown::render
