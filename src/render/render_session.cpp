#include "mixdown/render/render_session.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "mixdown/analysis/audio_measurement.h"
#include "mixdown/audio/decibels.h"
#include "mixdown/dsp/delay_line.h"
#include "mixdown/graph/build.h"
#include "mixdown/graph/engine.h"
#include "mixdown/graph/scheduler.h"
#include "mixdown/io/audio_file_writer.h"
#include "mixdown/io/folder_lock.h"
#include "mixdown/io/output_commit.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/io/temporary_file.h"
#include "mixdown/io/text_output.h"
#include "mixdown/render/insight_report.h"
#include "mixdown/render/loudness_normalizer.h"
#include "mixdown/render/output_manifest.h"
#include "mixdown/render/output_stage.h"
#include "mixdown/render/render_length.h"
#include "mixdown/render/report.h"
#include "mixdown/session/check_sources.h"
#include "mixdown/session/output_plan.h"
#include "mixdown/session/validate.h"
#include "mixdown/util/cancellation.h"
#include "mixdown/util/error.h"
#include "mixdown/util/thread_pool.h"

namespace mixdown::render {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr double kAutoTailQuietDbfs = -96.0;
constexpr double kAutoTailQuietS = 0.5;

/** The output folders a render creates, removed again (when empty) unless the render succeeds. */
class CreatedFolders {
public:
  CreatedFolders() = default;
  CreatedFolders(const CreatedFolders&) = delete;
  CreatedFolders& operator=(const CreatedFolders&) = delete;
  ~CreatedFolders() {
    if (kept_) return;
    std::error_code ignored;
    for (auto folder = created_.rbegin(); folder != created_.rend(); ++folder) fs::remove(*folder, ignored);
  }

  /** The output folder and every file's folder; a problem (at the file's pointer) for one that cannot be made. */
  void create(const session::OutputPlan& plan, session::Diagnostics& problems) {
    // The output folder, asked for by the first file (the mix, usually).
    if (!createWithParents(plan.dir, plan.files.empty() ? "/outputs/dir" : plan.files.front().pointer, problems)) return;
    for (const auto& file : plan.files)
      if (!createWithParents(file.path.parent_path(), file.pointer, problems)) return;
  }
  void keep() { kept_ = true; }

private:
  bool createWithParents(const fs::path& target, const std::string& pointer, session::Diagnostics& problems) {
    std::vector<fs::path> missing;
    for (fs::path folder = target; !folder.empty() && !fs::exists(folder); folder = folder.parent_path()) {
      missing.push_back(folder);
      if (folder == folder.parent_path()) break;
    }
    for (auto folder = missing.rbegin(); folder != missing.rend(); ++folder) {
      std::error_code error;
      if (!fs::create_directory(*folder, error) && error) {
        problems.add(pointer, "cannot create the folder " + io::quotedPath(*folder) + ": " + error.message());
        return false;
      }
      created_.push_back(*folder);
    }
    return true;
  }

  std::vector<fs::path> created_;
  bool kept_ = false;
};

/** Where the plan's files go. */
std::vector<fs::path> plannedPaths(const session::OutputPlan& plan) {
  std::vector<fs::path> paths;
  for (const auto& file : plan.files) paths.push_back(file.path);
  return paths;
}

std::int64_t framesOf(double seconds, int rate) { return std::llround(seconds * rate); }

/** report.json in a temporary file beside its target, put in place with the audio (io/output_commit.h). */
io::TemporaryFile writeReport(const fs::path& target, const json& report) {
  // Invalid UTF-8 (a session file name in another encoding) is replaced, not thrown.
  return io::stageTextFile(target, report.dump(2, ' ', false, json::error_handler_t::replace) + '\n');
}

}  // namespace

RenderResult renderSession(const session::LoadedSession& loaded, const RenderOptions& options) {
  const session::Session& session = loaded.session;
  const int rate = loaded.sampleRate;
  session::Diagnostics problems;
  session::OutputPlanOptions planOptions{options.outputDir, options.variant, options.mix, options.stems};
  const session::OutputPlan plan = session::planOutputs(session, planOptions, problems);
  if (!problems.empty()) throw OutputProblems(problems);

  graph::Graph graph = graph::buildGraph(session, loaded.sources, {rate, options.blockFrames, {}});
  RenderResult result;
  result.outputDir = plan.dir;
  const int totalLatency = graph.totalLatencyFrames();
  const std::int64_t contentEnd = session::contentEndFrame(session, loaded.sources, rate);
  const RenderLength length = renderLength(session, contentEnd, rate);
  // Known before a frame is rendered: a WAV stem that must pass 4 GiB fails now, not after hours.
  checkOutputSizes(plan, length.maxFrames, rate, problems);
  if (!problems.empty()) throw OutputProblems(problems);

  if (options.dryRun) {
    json planned = json::array();
    for (const auto& file : plan.files) planned.push_back((plan.dir / file.shownPath).generic_string());
    OutputManifest previous(plan.dir);
    result.report = json{{"session", session.file.filename().string()}, {"sample_rate", rate},
                         {"latency_frames", totalLatency}, {"would_write", planned},
                         {"would_remove", previous.planStale(options.clean ? std::vector<fs::path>{} : plannedPaths(plan))}};
    return result;
  }

  CreatedFolders folders;
  folders.create(plan, problems);
  if (!problems.empty()) throw OutputProblems(problems);
  // One render at a time into a folder; what a killed render left there is removed under the lock.
  const io::FolderLock lock(plan.dir, [&] {
    if (options.notice) options.notice("waiting for another render into " + io::quotedPath(plan.dir) + " to finish");
  });
  for (const fs::path& folder : plan.folders()) io::removeAbandonedTemporaries(folder);
  OutputManifest manifest(plan.dir);  // what earlier renders wrote here
  if (options.clean) manifest.removeAll();
  // Every target must be able to take its file before any work is done: the commit is all or nothing.
  for (const auto& file : plan.files) {
    try {
      io::checkReplaceable(file.path);
    } catch (const IoError& error) {
      problems.add(file.pointer, error.what());
    }
  }
  if (!problems.empty()) throw OutputProblems(problems);

  std::vector<int> tappedNodes{graph.masterNode};
  for (const auto& file : plan.files)
    if (file.kind != session::PlannedFile::Kind::Report) tappedNodes.push_back(nodeOfFile(graph, file));
  // The masking analysis reads every track's output: more taps of the plan, no files.
  std::optional<MaskingTap> masking;
  if (session.insight.masking) {
    masking.emplace(session, graph, options.blockFrames);
    tappedNodes.insert(tappedNodes.end(), masking->nodes().begin(), masking->nodes().end());
  }
  ThreadPool pool(options.threads);
  if (pool.threads() < options.threads && options.notice)
    options.notice("the system started only " + std::to_string(pool.threads()) + " of " + std::to_string(options.threads) +
                   " threads (a process or memory limit); rendering with those, to the same bits");
  graph::Engine engine(graph, tappedNodes, options.planOptions);
  std::vector<OutputStream> streams = openOutputStreams(session, graph, plan, options.blockFrames, problems);
  const session::PlannedFile* reportFile = nullptr;
  for (const auto& file : plan.files)
    if (file.kind == session::PlannedFile::Kind::Report) reportFile = &file;
  if (!problems.empty()) throw OutputProblems(problems);

  // The engine's levels, then the output stage's: each block is written and metered in the step after the
  // master mixed it, while the engine's levels take the blocks after it (graph/scheduler.h).
  const auto quietLevel = static_cast<float>(audio::dbToGain(kAutoTailQuietDbfs));
  // A silent gap inside the graph (a long delay between repeats) is not the end of the mix.
  const std::int64_t quietFramesNeeded =
      std::max<std::int64_t>(framesOf(kAutoTailQuietS, rate), graph.nodes[static_cast<size_t>(graph.masterNode)].silentGapFrames + 1);
  OutputStage outputStage(engine, graph.masterNode, streams,
                          {rate, totalLatency, length.maxFrames, length.fixedFrames, contentEnd, quietLevel, quietFramesNeeded},
                          options.progress, masking ? &*masking : nullptr);
  std::vector<graph::SchedulerLevel> levels = engine.levels();
  levels.push_back(outputStage.level());
  // The blocks cover the output's frames at most; the output stage ends the run sooner at a quiet tail.
  const graph::Block lastBlock =
      graph::runLevels(pool, levels, {options.blockFrames, totalLatency + length.maxFrames, engine.maxBlocksAlive()});
  const std::int64_t outputFrames = outputStage.outputFrames();
  for (const graph::Node& node : graph.nodes)
    for (const graph::InsertStage& insert : node.inserts)
      if (const std::optional<std::string> problem = insert.processor ? insert.processor->renderProblem() : std::nullopt)
        throw RenderError(insert.pointer + ": " + *problem + "; nothing was written");

  json normalization;
  RenderWarnings warnings;
  addNodeWarnings(session, graph, engine, lastBlock, warnings);
  for (auto& stream : streams) {
    if (!stream.capture) continue;
    // Pass 2: the captured master, normalised and limited, into the mix file; measured afresh.
    stream.capture->finishWriting();
    const std::optional<double> inputLufs = stream.captureLoudness->result().integratedLufs;
    const NormalizationResult normalized = normalizeMaster(
        *stream.capture, inputLufs, *session.master.loudness, rate, options.blockFrames, [&](ConstAudioBlock block) {
          throwIfCancelled();
          stream.meter->add(block);
          stream.writer->write(block);
        });
    stream.capture.reset();
    // The ceiling is a promise: a mix that breaks it is not written (the limiter keeps it for any finite master).
    const std::optional<double> truePeakDbtp = stream.meter->loudness().result().truePeakDbtp;
    if (truePeakDbtp && *truePeakDbtp > session.master.loudness->truePeakDbtp)
      throw RenderError("master.loudness: the normalised master peaks at " + session::formatNumber(*truePeakDbtp) +
                        " dBTP, above the true-peak ceiling of " + session::formatNumber(session.master.loudness->truePeakDbtp) +
                        " dBTP; nothing was written");
    normalization = normalizationEntry(*session.master.loudness, normalized);
    addNormalizationWarnings(*session.master.loudness, normalized, warnings);
  }
  json outputs = json::array();
  for (auto& stream : streams) {
    stream.written = stream.writer->finish();
    const analysis::AudioMeasurement measured = stream.meter->result();
    outputs.push_back(outputEntry(*stream.file, stream.written, stream.fileRate, measured));
    addOutputWarnings(*stream.file, stream.written, measured, warnings);
  }
  std::optional<analysis::MaskingResult> maskingResult;
  if (masking) maskingResult = masking->finish();
  std::optional<analysis::ReferenceComparison> comparison;
  std::optional<std::string> comparisonSkipped;
  if (!session.references.empty()) {
    const auto mixStream = std::find_if(streams.begin(), streams.end(),
                                        [](const OutputStream& stream) { return stream.file->kind == session::PlannedFile::Kind::Mix; });
    if (mixStream == streams.end()) {
      comparisonSkipped = "the mix was not rendered (--stems-only, or no outputs.mix)";
    } else {
      throwIfCancelled();
      try {
        comparison = compareMixWithReferences(session, mixStream->writer->staged().file->reopenPath(),
                                              mixStream->file->shownPath.generic_string());
      } catch (const std::invalid_argument& error) {
        comparisonSkipped = std::string("no comparison: ") + error.what();
        warnings.add(warning_code::kReferenceSilent, "/references", *comparisonSkipped);
      }
    }
  }
  addInsightWarnings(session, maskingResult, comparison, warnings);
  json report{{"mixdown", MIXDOWN_VERSION},
              {"session", session.file.filename().string()},
              {"sample_rate", rate},
              {"frames", outputFrames},
              {"duration_s", static_cast<double>(outputFrames) / rate},
              {"latency_frames", totalLatency},
              {"outputs", outputs},
              {"nodes", nodeEntries(graph, engine, lastBlock)},
              {"insight", insightSection(session, maskingResult, comparison, comparisonSkipped)}};
  if (!normalization.is_null()) report["normalization"] = normalization;
  const std::vector<std::string> removed = manifest.planStale(plannedPaths(plan));
  for (const std::string& warning : manifest.warnings()) warnings.add(warning_code::kOutputChanged, "/outputs", warning);
  report["warnings"] = warnings.messages();
  report["written"] = json::array();
  for (const auto& file : plan.files) report["written"].push_back(file.shownPath.generic_string());
  report["removed"] = removed;
  if (!options.variant.empty()) report["variant"] = options.variant;

  throwIfFailing(warnings, options.failOn);  // --strict, --fail-on: nothing is kept
  std::optional<io::TemporaryFile> reportTemporary;
  if (reportFile) reportTemporary.emplace(writeReport(reportFile->path, report));
  // The report goes in last: whoever sees the new report sees the new audio beside it.
  std::vector<io::StagedFile> staged;
  for (auto& stream : streams) staged.push_back(stream.writer->staged());
  if (reportTemporary) staged.push_back({&*reportTemporary, reportFile->path});
  io::TemporaryFile record = manifest.stageRecord(staged);
  staged.push_back({&record, manifest.recordPath()});
  throwIfCancelled();  // the last moment a signal can still leave the folder as it was
  io::commitStagedFiles(staged);
  manifest.removeStale();
  for (const auto& file : staged) result.written.push_back(file.target);
  folders.keep();
  result.report = std::move(report);
  result.warnings = warnings.items();
  return result;
}

}  // namespace mixdown::render
