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
#include "mixdown/io/audio_file_writer.h"
#include "mixdown/io/folder_lock.h"
#include "mixdown/io/output_commit.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/io/temporary_file.h"
#include "mixdown/io/text_output.h"
#include "mixdown/render/loudness_normalizer.h"
#include "mixdown/render/master_capture.h"
#include "mixdown/render/output_manifest.h"
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

/** One file being written from one node's output, aligned to session time 0. */
struct OutputStream {
  const session::PlannedFile* file = nullptr;
  int node = -1;
  int fileRate = 48000;
  dsp::DelayLine align;  // total latency - the node's latency
  AudioBuffer scratch;
  std::unique_ptr<io::AudioFileWriter> writer;
  std::unique_ptr<analysis::AudioMeter> meter;  // what goes to the writer, at the render rate
  std::unique_ptr<MasterCapture> capture;       // the mix under master.loudness: pass 1 goes here,
  std::unique_ptr<analysis::LoudnessMeter> captureLoudness;  // measured by this (the meter waits for pass 2)
  io::WrittenAudio written;
};

/** FNV-1a of the file's name in the output folder: a fixed, per-file dither seed. */
std::uint64_t ditherSeedFor(const fs::path& shownPath) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char byte : shownPath.generic_string()) {
    hash ^= byte;
    hash *= 1099511628211ull;
  }
  return hash;
}

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

/** The folders the plan's files go into, each once. */
std::vector<fs::path> foldersOf(const session::OutputPlan& plan) {
  std::vector<fs::path> folders;
  for (const auto& file : plan.files) {
    fs::path folder = file.path.parent_path().empty() ? fs::path(".") : file.path.parent_path();
    if (std::find(folders.begin(), folders.end(), folder) == folders.end()) folders.push_back(std::move(folder));
  }
  return folders;
}

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
  for (const fs::path& folder : foldersOf(plan)) io::removeAbandonedTemporaries(folder);
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

  // The node each output file takes: the master for the mix, its own node for a stem.
  const auto nodeOf = [&](const session::PlannedFile& file) {
    return file.kind == session::PlannedFile::Kind::Mix ? graph.masterNode : graph.nodeIndex(file.name);
  };
  std::vector<int> tappedNodes{graph.masterNode};
  for (const auto& file : plan.files)
    if (file.kind != session::PlannedFile::Kind::Report) tappedNodes.push_back(nodeOf(file));
  ThreadPool pool(options.threads);
  if (pool.threads() < options.threads && options.notice)
    options.notice("the system started only " + std::to_string(pool.threads()) + " of " + std::to_string(options.threads) +
                   " threads (a process or memory limit); rendering with those, to the same bits");
  graph::Engine engine(graph, pool, tappedNodes);
  std::vector<OutputStream> streams;
  const session::PlannedFile* reportFile = nullptr;
  for (const auto& file : plan.files) {
    if (file.kind == session::PlannedFile::Kind::Report) {
      reportFile = &file;
      continue;
    }
    OutputStream stream;
    stream.file = &file;
    stream.node = nodeOf(file);
    stream.fileRate = file.format->sampleRate.value_or(rate);
    stream.align = dsp::DelayLine(2, totalLatency - graph.nodes[static_cast<size_t>(stream.node)].outputLatencyFrames);
    stream.scratch = AudioBuffer(2, options.blockFrames);
    io::OutputFormat format;
    format.bitDepth = file.format->bitDepth;
    format.dither = file.format->dither;
    format.renderRate = rate;
    format.fileRate = stream.fileRate;
    format.channels = 2;
    format.ditherSeed = ditherSeedFor(file.shownPath);
    stream.meter = std::make_unique<analysis::AudioMeter>(2, rate);
    try {
      stream.writer = std::make_unique<io::AudioFileWriter>(file.path, format);
      if (session.master.loudness && file.kind == session::PlannedFile::Kind::Mix) {
        stream.capture = std::make_unique<MasterCapture>(file.path);
        stream.captureLoudness = std::make_unique<analysis::LoudnessMeter>(
            2, rate, analysis::LoudnessMeter::Figures::IntegratedOnly);
      }
    } catch (const IoError& error) {
      problems.add(file.pointer, error.what());
      continue;
    }
    streams.push_back(std::move(stream));
  }
  if (!problems.empty()) throw OutputProblems(problems);

  const std::optional<std::int64_t> fixedFrames = length.fixedFrames;
  const std::int64_t maxFrames = length.maxFrames;
  const auto quietLevel = static_cast<float>(audio::dbToGain(kAutoTailQuietDbfs));
  // A silent gap inside the graph (a long delay between repeats) is not the end of the mix.
  const std::int64_t quietFramesNeeded =
      std::max<std::int64_t>(framesOf(kAutoTailQuietS, rate), graph.nodes[static_cast<size_t>(graph.masterNode)].silentGapFrames + 1);
  std::int64_t quietRun = 0;

  // Pipelined: each engine step takes a new block into the first graph level while earlier blocks
  // take later levels (graph/engine.h); the block a step completes is written and metered during
  // the next step, as its extra tasks, from the engine's slot of it, which that step leaves alone.
  const int frames = options.blockFrames;
  const int streamCount = static_cast<int>(streams.size());
  const std::int64_t enginePastEnd = totalLatency + maxFrames;  // no block starting here is needed
  // The block a step completed waits for the next step's tasks: every stream's source, and the frames
  // to write (none while the first blocks only fill the latency; a delayed stream still takes them in).
  std::vector<ConstAudioBlock> pendingSources(streams.size());
  bool pending = false;
  int pendingFirst = 0;
  int pendingCount = 0;
  // Hands written frames to a stream's file (or master capture) or to its meter.
  const auto deliver = [](OutputStream& stream, ConstAudioBlock block, bool metering) {
    if (stream.capture && metering) stream.captureLoudness->add(block);
    else if (stream.capture) stream.capture->write(block);
    else if (metering) stream.meter->add(block);
    else stream.writer->write(block);
  };
  // Two tasks per stream, writing and metering, so even a single output keeps two cores busy; a
  // stream delayed against the mix copies and delays the block first, then meters and writes it.
  const auto writeTask = [&](int task) {
    OutputStream& stream = streams[static_cast<size_t>(task % streamCount)];
    const bool metering = task >= streamCount;
    const ConstAudioBlock source = pendingSources[static_cast<size_t>(task % streamCount)];
    if (stream.align.delayFrames() == 0) {
      if (pendingCount > 0) deliver(stream, source.slice(pendingFirst, pendingCount), metering);
      return;
    }
    if (metering) return;
    // Every block goes through the delay, written or not, so what comes out is the right audio.
    AudioBlock aligned = stream.scratch.block(2, frames);
    for (int channel = 0; channel < 2; ++channel) aligned.array(channel) = source.array(channel);
    stream.align.process(aligned);
    if (pendingCount == 0) return;
    const ConstAudioBlock written = ConstAudioBlock(aligned).slice(pendingFirst, pendingCount);
    deliver(stream, written, true);
    deliver(stream, written, false);
  };

  const std::function<void(int)> writeTasks(writeTask);  // made once: the loop allocates nothing
  std::int64_t engineFrame = 0;  // where the next block to enter starts
  std::int64_t outputFrames = 0;
  bool finished = false;
  while (!finished) {
    throwIfCancelled();
    // At least one block enters, so even a render of no frames completes one and ends.
    // A graph deeper than Engine::kMaxBlocksInFlight levels takes a block only when the oldest completes.
    const bool enter = (engineFrame < enginePastEnd || engineFrame == 0) && engine.acceptsBlock();
    engine.step(enter ? std::optional<std::int64_t>(engineFrame) : std::nullopt, frames, pending ? 2 * streamCount : 0,
                writeTasks);
    if (enter) engineFrame += frames;
    pending = false;
    const std::optional<std::int64_t> blockStart = engine.completedStartFrame();
    if (!blockStart) {  // the pipeline is filling
      finished = !enter && engine.pipelineEmpty();  // (cannot happen: the blocks entered cover maxFrames)
      continue;
    }
    // Output frame = engine frame - total latency; the first frames of the render only fill the latency.
    const auto first = static_cast<int>(std::clamp<std::int64_t>(totalLatency - *blockStart, 0, frames));
    std::int64_t count = std::min<std::int64_t>(frames - first, maxFrames - outputFrames);
    ConstAudioBlock mix = engine.output(graph.masterNode, frames);
    for (int channel = 0; channel < 2; ++channel)
      if (!mix.array(channel).isFinite().all())
        throw RenderError("the mix holds a non-finite sample near " +
                          std::to_string(static_cast<double>(std::max<std::int64_t>(0, *blockStart - totalLatency)) / rate) + " s");
    if (!fixedFrames) {
      for (std::int64_t offset = 0; offset < count; ++offset) {
        const std::int64_t outputFrame = outputFrames + offset;
        if (outputFrame < contentEnd) continue;
        const int frame = first + static_cast<int>(offset);
        const bool quiet = std::abs(mix.channel(0)[frame]) < quietLevel && std::abs(mix.channel(1)[frame]) < quietLevel;
        quietRun = quiet ? quietRun + 1 : 0;
        if (quietRun >= quietFramesNeeded) {
          count = offset + 1;
          finished = true;
          break;
        }
      }
    }
    for (int index = 0; index < streamCount; ++index)
      pendingSources[static_cast<size_t>(index)] = engine.output(streams[static_cast<size_t>(index)].node, frames);
    pending = true;
    pendingFirst = first;
    pendingCount = static_cast<int>(std::max<std::int64_t>(count, 0));
    outputFrames += std::max<std::int64_t>(count, 0);
    if (outputFrames >= maxFrames) finished = true;
    if (options.progress) options.progress(std::min(1.0, static_cast<double>(outputFrames) / static_cast<double>(std::max<std::int64_t>(1, fixedFrames.value_or(contentEnd)))));
  }
  if (pending) pool.run(2 * streamCount, writeTasks);  // the last block

  json normalization;
  RenderWarnings warnings;
  addNodeWarnings(session, graph, engine, warnings);
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
  json report{{"mixdown", MIXDOWN_VERSION},
              {"session", session.file.filename().string()},
              {"sample_rate", rate},
              {"frames", outputFrames},
              {"duration_s", static_cast<double>(outputFrames) / rate},
              {"latency_frames", totalLatency},
              {"outputs", outputs},
              {"nodes", nodeEntries(graph, engine)}};
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
