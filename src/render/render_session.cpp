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
#include "mixdown/io/sha256.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/io/temporary_file.h"
#include "mixdown/io/text_output.h"
#include "mixdown/render/html_page.h"
#include "mixdown/render/input_digests.h"
#include "mixdown/render/insight_report.h"
#include "mixdown/render/loudness_normalizer.h"
#include "mixdown/render/output_manifest.h"
#include "mixdown/render/output_recipes.h"
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
constexpr int kPageReadingSteps = 10;  // the page's loudness over time: a reading each 100 ms

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

/** The SHA-256 and identity of target's staged temporary file (its identity survives the rename into place). */
io::FileDigest digestOfStaged(const io::StagedFile& staged) {
  std::optional<io::FileDigest> digest = io::digestOfFile(staged.file->path(), io::FollowLinks::No);
  if (!digest)
    throw IoError("cannot write " + io::quotedPath(staged.target) + ": its temporary file " + io::quotedPath(staged.file->path()) +
                  " is gone (was the output folder removed?)");
  return std::move(*digest);
}

/** What one pass over the graph made: the files it wrote (staged) and the report. */
struct RenderPass {
  std::vector<OutputStream> streams;
  json report;
  RenderWarnings warnings;
  std::vector<json> fileWarnings;  // per planned file: its own warnings, as recorded
  std::vector<analysis::LoudnessReading> mixLoudness;  // the mix as written, each 100 ms (for the page)
  std::int64_t outputFrames = 0;
};

/** Adds the recorded warnings ({code, pointer, message}) to warnings. */
void addRecordedWarnings(const json& recorded, RenderWarnings& warnings) {
  if (!recorded.is_array()) return;
  for (const json& item : recorded)
    if (item.is_object())
      warnings.add(item.value("code", std::string()), item.value("pointer", std::string()), item.value("message", std::string()));
}

/** The warnings about the outputs, for a render that keeps them to repeat: not those about the folder's earlier files. */
json warningsRecord(const std::vector<RenderWarning>& warnings) {
  json items = json::array();
  for (const RenderWarning& warning : warnings)
    if (warning.code != warning_code::kOutputChanged)
      items.push_back(json{{"code", warning.code}, {"pointer", warning.pointer}, {"message", warning.message}});
  return items;
}

/**
 * Renders the graph once, writing the files of plan that `write` marks into staged temporaries; the
 * report lists the others' entries from `kept` (the files up to date, not rendered again).
 */
RenderPass renderPass(const session::LoadedSession& loaded, graph::Graph& graph, const session::OutputPlan& plan,
                      std::int64_t contentEnd, const RenderLength& length,
                      const std::vector<bool>& write, const std::vector<std::optional<OutputManifest::Reusable>>& kept,
                      const RenderOptions& options) {
  const session::Session& session = loaded.session;
  const int rate = loaded.sampleRate;
  session::Diagnostics problems;
  const int totalLatency = graph.totalLatencyFrames();
  std::vector<const session::PlannedFile*> written;
  std::vector<int> tappedNodes{graph.masterNode};
  for (std::size_t at = 0; at < plan.files.size(); ++at) {
    if (!write[at]) continue;
    written.push_back(&plan.files[at]);
    if (plan.files[at].isAudio()) tappedNodes.push_back(nodeOfFile(graph, plan.files[at]));
  }
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
  RenderPass pass;
  pass.streams = openOutputStreams(session, graph, written, options.blockFrames, problems);
  std::vector<OutputStream>& streams = pass.streams;
  if (!problems.empty()) throw OutputProblems(problems);
  const bool page = std::any_of(plan.files.begin(), plan.files.end(),
                                [](const session::PlannedFile& file) { return file.kind == session::PlannedFile::Kind::Page; });
  for (OutputStream& stream : streams)
    if (page && stream.file->kind == session::PlannedFile::Kind::Mix) stream.meter->loudness().keepHistory(kPageReadingSteps);

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
  pass.outputFrames = outputStage.outputFrames();
  for (const graph::Node& node : graph.nodes)
    for (const graph::InsertStage& insert : node.inserts)
      if (const std::optional<std::string> problem = insert.processor ? insert.processor->renderProblem() : std::nullopt)
        throw RenderError(insert.pointer + ": " + *problem + "; nothing was written");

  json normalization;
  RenderWarnings& warnings = pass.warnings;
  if (const std::optional<LengthWarning> longRender = lengthWarning(session, loaded.sources, rate, length))
    warnings.add(warning_code::kLongRender, longRender->pointer, longRender->message);  // failing, renderSession threw
  addNodeWarnings(session, graph, engine, lastBlock, warnings);
  for (auto& stream : streams) {
    if (!stream.capture) continue;
    // Pass 2: the captured master, normalised and limited, into the mix file; measured afresh.
    stream.capture->finishWriting();
    const std::optional<double> inputLufs = stream.captureLoudness->result().integratedLufs;
    std::int64_t normalizedFrames = 0;
    const NormalizationResult normalized = normalizeMaster(
        *stream.capture, inputLufs, *session.master.loudness, rate, options.blockFrames, [&](ConstAudioBlock block) {
          throwIfCancelled();
          stream.meter->add(block);
          stream.writer->write(block);
          normalizedFrames += block.frames();
          if (options.progress) options.progress({"normalize", normalizedFrames, std::max<std::int64_t>(1, pass.outputFrames)});
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
  pass.fileWarnings.assign(plan.files.size(), json::array());
  std::size_t next = 0;
  for (std::size_t at = 0; at < plan.files.size(); ++at) {
    if (!plan.files[at].isAudio()) continue;
    RenderWarnings fileWarnings;
    if (!write[at]) {
      outputs.push_back(kept[at]->reportEntry);
      addRecordedWarnings(kept[at]->warnings, fileWarnings);
    } else {
      OutputStream& stream = streams[next++];
      stream.written = stream.writer->finish();
      const analysis::AudioMeasurement measured = stream.meter->result();
      outputs.push_back(outputEntry(*stream.file, stream.written, stream.fileRate, measured));
      if (stream.file->kind == session::PlannedFile::Kind::Mix) pass.mixLoudness = stream.meter->loudness().history();
      addOutputWarnings(*stream.file, stream.written, measured, fileWarnings);
    }
    pass.fileWarnings[at] = warningsRecord(fileWarnings.items());
    for (const RenderWarning& warning : fileWarnings.items()) warnings.add(warning.code, warning.pointer, warning.message);
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
  pass.report = json{{"mixdown", MIXDOWN_VERSION},
                     {"session", session.file.filename().string()},
                     {"sample_rate", rate},
                     {"frames", pass.outputFrames},
                     {"duration_s", static_cast<double>(pass.outputFrames) / rate},
                     {"latency_frames", totalLatency},
                     {"outputs", outputs},
                     {"nodes", nodeEntries(graph, engine, lastBlock)},
                     {"insight", insightSection(session, maskingResult, comparison, comparisonSkipped)}};
  if (!normalization.is_null()) pass.report["normalization"] = normalization;
  return pass;
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
  const std::int64_t contentEnd = session::contentEndFrame(session, loaded.sources, rate);
  RenderLength length = renderLength(session, contentEnd, rate);
  if (options.maxLengthS) {
    // --max-length-s: a render whose music runs past it is refused; an automatic tail stops there.
    const std::int64_t cap = std::llround(*options.maxLengthS * rate);
    const std::int64_t music = length.fixedFrames.value_or(contentEnd);
    if (music > cap) {
      const std::optional<LengthWarning> longRender = lengthWarning(session, loaded.sources, rate, length);
      problems.add(longRender ? longRender->pointer : "", "the render runs " + durationText(static_cast<double>(music) / rate) +
                                                    ", past --max-length-s " + session::formatNumber(*options.maxLengthS));
      throw OutputProblems(problems);
    }
    length.maxFrames = std::min(length.maxFrames, cap);
  }
  // Known before a frame is rendered: a WAV stem that must pass 4 GiB fails now, not after hours.
  checkOutputSizes(plan, length.maxFrames, rate, problems);
  if (!problems.empty()) throw OutputProblems(problems);
  // So is a render far longer than its music, when its warning is to fail the render.
  if (const std::optional<LengthWarning> longRender = lengthWarning(session, loaded.sources, rate, length)) {
    RenderWarnings known;
    known.add(warning_code::kLongRender, longRender->pointer, longRender->message);
    throwIfFailing(known, options.failOn);
  }

  // Which files are up to date: made by the same recipe and untouched since (render/output_recipes.h).
  const auto upToDate = [&](OutputManifest& manifest, InputDigests& digests) {
    const OutputRecipes recipes = outputRecipes({loaded, graph, plan, contentEnd, length, options.variant}, digests);
    std::vector<std::optional<OutputManifest::Reusable>> reusable(plan.files.size());
    if (!options.force && !options.clean)
      for (std::size_t at = 0; at < plan.files.size(); ++at) reusable[at] = manifest.reusable(plan.files[at].path, recipes.files[at]);
    return std::make_pair(recipes, reusable);
  };

  if (options.dryRun) {
    OutputManifest previous(plan.dir);
    InputDigests digests(previous.recordedInputs());
    const auto [recipes, reusable] = upToDate(previous, digests);
    json planned = json::array();
    json kept = json::array();
    for (std::size_t at = 0; at < plan.files.size(); ++at)
      (reusable[at] ? kept : planned).push_back((plan.dir / plan.files[at].shownPath).generic_string());
    std::uint64_t bytes = 0;
    for (std::size_t at = 0; at < plan.files.size(); ++at)
      if (!reusable[at]) bytes += plannedFileBytes(plan.files[at], length.maxFrames, rate);
    result.report = json{{"session", session.file.filename().string()}, {"sample_rate", rate},
                         {"latency_frames", graph.totalLatencyFrames()}, {"content_s", static_cast<double>(contentEnd) / rate},
                         {"length_s", length.fixedFrames ? json(static_cast<double>(*length.fixedFrames) / rate) : json()},
                         {"max_length_s", static_cast<double>(length.maxFrames) / rate}, {"bytes_at_most", bytes},
                         {"would_write", planned}, {"would_keep", kept},
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
  InputDigests digests(manifest.recordedInputs());
  auto [recipes, reusable] = upToDate(manifest, digests);
  const std::optional<OutputManifest::RecordedRender> recorded = manifest.recordedRender(recipes.render);
  if (recorded && std::all_of(reusable.begin(), reusable.end(), [](const auto& file) { return file.has_value(); })) {
    // Up to date: nothing is written, the last render's report and warnings stand.
    RenderWarnings warnings;
    addRecordedWarnings(recorded->warnings, warnings);
    throwIfFailing(warnings, options.failOn);
    result.report = recorded->report;
    result.report["written"] = json::array();
    result.report["removed"] = json::array();
    result.report["kept"] = json::array();
    for (const auto& file : plan.files) result.report["kept"].push_back(file.shownPath.generic_string());
    result.warnings = warnings.items();
    if (digests.learned()) {
      // Inputs read again because they had only just changed are trusted by their identity from now on:
      // the record (the folder's own, no output) takes their identities, so the next check reads nothing.
      std::vector<OutputManifest::RecordedFile> kept;
      for (std::size_t at = 0; at < plan.files.size(); ++at)
        kept.push_back({plan.files[at].path, std::nullopt, recipes.files[at], reusable[at]->renderFrames, reusable[at]->reportEntry,
                        reusable[at]->warnings.is_null() ? json::array() : reusable[at]->warnings});
      io::TemporaryFile record = manifest.stageRecord(kept, *recorded, recipes.render, digests.record());
      throwIfCancelled();
      io::commitStagedFiles({{&record, manifest.recordPath()}});
    }
    folders.keep();
    return result;
  }
  // Every target must be able to take its file before any work is done: the commit is all or nothing.
  for (const auto& file : plan.files) {
    try {
      io::checkReplaceable(file.path);
    } catch (const IoError& error) {
      problems.add(file.pointer, error.what());
    }
  }
  if (!problems.empty()) throw OutputProblems(problems);

  // The stems up to date are not rendered again; the mix and the report always are (they hold
  // every figure), and are kept as they are when their recipe did not change.
  std::vector<bool> write(plan.files.size(), true);
  for (std::size_t at = 0; at < plan.files.size(); ++at)
    write[at] = !(reusable[at] && plan.files[at].kind == session::PlannedFile::Kind::Stem);
  RenderPass pass = renderPass(loaded, graph, plan, contentEnd, length, write, reusable, options);
  // An automatic tail's length is known only now: a stem kept must have the length rendered.
  bool lengthChanged = false;
  for (std::size_t at = 0; at < plan.files.size(); ++at)
    if (!write[at] && reusable[at]->renderFrames != pass.outputFrames) lengthChanged = true;
  if (lengthChanged) {
    std::fill(write.begin(), write.end(), true);
    std::fill(reusable.begin(), reusable.end(), std::nullopt);
    graph = graph::buildGraph(session, loaded.sources, {rate, options.blockFrames, {}});
    pass = renderPass(loaded, graph, plan, contentEnd, length, write, reusable, options);
  }
  json& report = pass.report;
  RenderWarnings& warnings = pass.warnings;
  const std::vector<std::string> removed = manifest.planStale(plannedPaths(plan));
  for (const std::string& warning : manifest.warnings()) warnings.add(warning_code::kOutputChanged, "/outputs", warning);
  report["warnings"] = warnings.messages();
  // The report lists what this render put in place and what it kept as it was: the stems not rendered,
  // and every file rendered to the bytes the file in place still holds (a mix whose recipe did not change,
  // a stem whose settings changed in a way it does not hear).
  std::vector<bool> replace(write);
  std::vector<std::optional<io::FileDigest>> digestsOfStaged(plan.files.size());
  for (std::size_t at = 0, next = 0; at < plan.files.size(); ++at) {
    if (!write[at] || !plan.files[at].isAudio()) continue;
    digestsOfStaged[at] = digestOfStaged(pass.streams[next++].writer->staged());
    if (!options.force && manifest.intactSha256(plan.files[at].path) == digestsOfStaged[at]->sha256) replace[at] = false;
  }
  report["written"] = json::array();
  report["kept"] = json::array();
  for (std::size_t at = 0; at < plan.files.size(); ++at) {
    report[!plan.files[at].isAudio() || replace[at] ? "written" : "kept"].push_back(plan.files[at].shownPath.generic_string());
  }
  report["removed"] = removed;
  if (!options.variant.empty()) report["variant"] = options.variant;

  throwIfFailing(warnings, options.failOn);  // --strict, --fail-on: nothing is kept
  // The page, then the report, go in last: whoever sees the new report sees the new audio beside it.
  std::vector<io::StagedFile> staged;
  std::vector<OutputManifest::RecordedFile> recordedFiles;
  std::vector<io::TemporaryFile> textTemporaries;
  textTemporaries.reserve(2);
  for (const auto& file : plan.files) {
    if (file.isAudio()) continue;
    textTemporaries.push_back(file.kind == session::PlannedFile::Kind::Page
                                  ? io::stageTextFile(file.path, htmlPage(report, pass.mixLoudness))
                                  : writeReport(file.path, report));
  }
  std::size_t next = 0;
  for (std::size_t at = 0; at < plan.files.size(); ++at) {
    const session::PlannedFile& file = plan.files[at];
    if (!file.isAudio()) continue;
    const json& entry = report.at("outputs").at(recordedFiles.size());
    if (!write[at]) {
      recordedFiles.push_back({file.path, std::nullopt, recipes.files[at], reusable[at]->renderFrames, entry, pass.fileWarnings[at]});
      continue;
    }
    OutputStream& stream = pass.streams[next++];
    if (replace[at]) staged.push_back(stream.writer->staged());
    recordedFiles.push_back({file.path, replace[at] ? digestsOfStaged[at] : std::nullopt, recipes.files[at], pass.outputFrames, entry,
                             pass.fileWarnings[at]});
  }
  std::size_t nextText = 0;
  for (const auto& file : plan.files) {
    if (file.isAudio()) continue;
    const io::StagedFile text{&textTemporaries[nextText++], file.path};
    staged.push_back(text);
    recordedFiles.push_back({file.path, digestOfStaged(text), recipes.render, pass.outputFrames, json(), json::array()});
  }
  io::TemporaryFile record = manifest.stageRecord(recordedFiles, {report, warningsRecord(warnings.items())}, recipes.render, digests.record());
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
