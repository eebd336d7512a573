#pragma once
// The render's level after the engine's (graph/scheduler.h): its gate checks
// each block of the mix in order (no non-finite sample; where the automatic
// tail ends the render) and decides which of its frames are output frames
// (output frame = engine frame - the total latency); its tasks then write and
// meter every output file's part of the block, two tasks per file, so even a
// single output keeps two cores busy (and one for the masking analysis). A stem delayed against the mix (by the
// total latency minus its node's) copies and delays the block first, then
// meters and writes it, in one task.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "mixdown/render/render_progress.h"
#include "mixdown/analysis/audio_measurement.h"
#include "mixdown/analysis/loudness_meter.h"
#include "mixdown/dsp/delay_line.h"
#include "mixdown/graph/engine.h"
#include "mixdown/io/audio_file_writer.h"
#include "mixdown/render/masking_tap.h"
#include "mixdown/render/master_capture.h"
#include "mixdown/session/diagnostics.h"
#include "mixdown/session/output_plan.h"

namespace mixdown::render {

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

/** The node whose output a file takes: the master for the mix, its own node for a stem. */
int nodeOfFile(const graph::Graph& graph, const session::PlannedFile& file);

/**
 * A stream per audio file of files (the report is none), its writer open on a
 * temporary file (io/audio_file_writer.h); the mix under master.loudness goes
 * to a MasterCapture first. A file that cannot be opened is a problem at its pointer.
 */
std::vector<OutputStream> openOutputStreams(const session::Session& session, const graph::Graph& graph,
                                            const std::vector<const session::PlannedFile*>& files, int blockFrames,
                                            session::Diagnostics& problems);

/** Where the output frames end: at maxFrames, or (no fixedFrames) where the mix past the content falls quiet. */
struct OutputLength {
  int sampleRate = 48000;
  int totalLatencyFrames = 0;
  std::int64_t maxFrames = 0;
  std::optional<std::int64_t> fixedFrames;  // none: the automatic tail
  std::int64_t contentEndFrame = 0;
  float quietLevel = 0.0f;                // linear: a frame of the mix below it on both channels is quiet
  std::int64_t quietFramesNeeded = 1;     // quiet frames in a row past the content that end the mix
};

class OutputStage {
public:
  /**
   * streams, engine and masking (none: no masking analysis; else one more task of the level) outlive the stage;
   * progress (may be empty) gets the frames rendered after each block (phase "render").
   */
  OutputStage(const graph::Engine& engine, int masterNode, std::vector<OutputStream>& streams, const OutputLength& length,
              std::function<void(const RenderProgress&)> progress, MaskingTap* masking = nullptr);

  /** The level, for graph::runLevels after the engine's. */
  graph::SchedulerLevel level();
  /** The output frames of the blocks checked so far. */
  std::int64_t outputFrames() const noexcept { return outputFrames_; }

private:
  /** The gate: checks block and finds its output frames; false once they reach the end. */
  bool checkBlock(const graph::Block& block);
  /** Task: the stream task % streams writes (task < streams) or meters its output frames of block; the last, masking. */
  void runTask(int task, const graph::Block& block);

  const graph::Engine& engine_;
  int masterNode_;
  std::vector<OutputStream>& streams_;
  OutputLength length_;
  std::function<void(const RenderProgress&)> progress_;
  MaskingTap* masking_;
  std::int64_t outputFrames_ = 0;
  std::int64_t quietRun_ = 0;
  // The block the tasks take: its output frames are [firstFrame_, firstFrame_ + frameCount_).
  int firstFrame_ = 0;
  int frameCount_ = 0;
};

}  // namespace mixdown::render
