#include "mixdown/render/output_stage.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "mixdown/render/render_session.h"
#include "mixdown/util/cancellation.h"
#include "mixdown/util/error.h"

namespace mixdown::render {

namespace {

constexpr int kStereo = 2;

/** Hands written frames to a stream's file (or master capture) or to its meter. */
void deliver(OutputStream& stream, ConstAudioBlock block, bool metering) {
  if (stream.capture && metering) stream.captureLoudness->add(block);
  else if (stream.capture) stream.capture->write(block);
  else if (metering) stream.meter->add(block);
  else stream.writer->write(block);
}

/** FNV-1a of the file's name in the output folder: a fixed, per-file dither seed. */
std::uint64_t ditherSeedFor(const std::filesystem::path& shownPath) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char byte : shownPath.generic_string()) {
    hash ^= byte;
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace

int nodeOfFile(const graph::Graph& graph, const session::PlannedFile& file) {
  return file.kind == session::PlannedFile::Kind::Mix ? graph.masterNode : graph.nodeIndex(file.name);
}

std::vector<OutputStream> openOutputStreams(const session::Session& session, const graph::Graph& graph,
                                            const std::vector<const session::PlannedFile*>& files, int blockFrames,
                                            session::Diagnostics& problems) {
  const int rate = graph.sampleRate;
  std::vector<OutputStream> streams;
  for (const session::PlannedFile* planned : files) {
    const session::PlannedFile& file = *planned;
    if (!file.isAudio()) continue;
    OutputStream stream;
    stream.file = &file;
    stream.node = nodeOfFile(graph, file);
    stream.fileRate = file.format->sampleRate.value_or(rate);
    stream.align = dsp::DelayLine(kStereo, graph.totalLatencyFrames() - graph.nodes[static_cast<size_t>(stream.node)].outputLatencyFrames);
    stream.scratch = AudioBuffer(kStereo, blockFrames);
    io::OutputFormat format;
    format.bitDepth = file.format->bitDepth;
    format.dither = file.format->dither;
    format.renderRate = rate;
    format.fileRate = stream.fileRate;
    format.channels = kStereo;
    format.ditherSeed = ditherSeedFor(file.shownPath);
    stream.meter = std::make_unique<analysis::AudioMeter>(kStereo, rate);
    try {
      stream.writer = std::make_unique<io::AudioFileWriter>(file.path, format);
      if (session.master.loudness && file.kind == session::PlannedFile::Kind::Mix) {
        stream.capture = std::make_unique<MasterCapture>(file.path);
        stream.captureLoudness = std::make_unique<analysis::LoudnessMeter>(kStereo, rate, analysis::LoudnessMeter::Figures::IntegratedOnly);
      }
    } catch (const IoError& error) {
      problems.add(file.pointer, error.what());
      continue;
    }
    streams.push_back(std::move(stream));
  }
  return streams;
}

OutputStage::OutputStage(const graph::Engine& engine, int masterNode, std::vector<OutputStream>& streams,
                         const OutputLength& length, std::function<void(const RenderProgress&)> progress, MaskingTap* masking)
    : engine_(engine), masterNode_(masterNode), streams_(streams), length_(length), progress_(std::move(progress)),
      masking_(masking) {}

graph::SchedulerLevel OutputStage::level() {
  return {2 * static_cast<int>(streams_.size()) + (masking_ ? 1 : 0), [this](int task, const graph::Block& block) { runTask(task, block); },
          [this](const graph::Block& block) { return checkBlock(block); }};
}

bool OutputStage::checkBlock(const graph::Block& block) {
  throwIfCancelled();
  const int frames = block.frames;
  // The first frames of the render only fill the latency.
  firstFrame_ = static_cast<int>(std::clamp<std::int64_t>(length_.totalLatencyFrames - block.startFrame, 0, frames));
  std::int64_t count = std::min<std::int64_t>(frames - firstFrame_, length_.maxFrames - outputFrames_);
  bool finished = false;
  const ConstAudioBlock mix = engine_.output(masterNode_, block);
  for (int channel = 0; channel < kStereo; ++channel)
    if (!mix.array(channel).isFinite().all())
      throw RenderError("the mix holds a non-finite sample near " +
                        std::to_string(static_cast<double>(std::max<std::int64_t>(0, block.startFrame - length_.totalLatencyFrames)) /
                                       length_.sampleRate) + " s");
  if (!length_.fixedFrames) {
    for (std::int64_t offset = 0; offset < count; ++offset) {
      if (outputFrames_ + offset < length_.contentEndFrame) continue;
      const int frame = firstFrame_ + static_cast<int>(offset);
      const bool quiet = std::abs(mix.channel(0)[frame]) < length_.quietLevel && std::abs(mix.channel(1)[frame]) < length_.quietLevel;
      quietRun_ = quiet ? quietRun_ + 1 : 0;
      if (quietRun_ >= length_.quietFramesNeeded) {
        count = offset + 1;
        finished = true;
        break;
      }
    }
  }
  frameCount_ = static_cast<int>(std::max<std::int64_t>(count, 0));
  outputFrames_ += frameCount_;
  if (progress_)
    progress_({"render", outputFrames_, std::max<std::int64_t>(1, length_.fixedFrames.value_or(length_.contentEndFrame))});
  return !finished && outputFrames_ < length_.maxFrames;
}

void OutputStage::runTask(int task, const graph::Block& block) {
  const auto streamCount = static_cast<int>(streams_.size());
  if (task == 2 * streamCount) {
    masking_->add(engine_, block, firstFrame_, frameCount_);
    return;
  }
  OutputStream& stream = streams_[static_cast<size_t>(task % streamCount)];
  const bool metering = task >= streamCount;
  const ConstAudioBlock source = engine_.output(stream.node, block);
  if (stream.align.delayFrames() == 0) {
    if (frameCount_ > 0) deliver(stream, source.slice(firstFrame_, frameCount_), metering);
    return;
  }
  if (metering) return;
  // Every block goes through the delay, written or not, so what comes out is the right audio.
  const ConstAudioBlock aligned = dsp::delayedCopy(stream.align, source, stream.scratch);
  if (frameCount_ == 0) return;
  const ConstAudioBlock written = aligned.slice(firstFrame_, frameCount_);
  deliver(stream, written, true);
  deliver(stream, written, false);
}

}  // namespace mixdown::render
