#pragma once
// Runs blocks of frames through levels of tasks, pipelined, knowing nothing of
// what the tasks do (the engine's strips, the render's writers and meters).
//
// A block takes one level per step: in one parallel batch, level 0 takes block
// n + k while level k takes block n, so a level alone with one task (a reverb
// bus, a file writer) never leaves a core idle between barriers. The tasks of a
// level run on a block only after every task of the level before has run on it,
// and each level takes the blocks in order, one per step. A task that writes
// only its own buffers and reads only those of earlier levels therefore
// computes the same bits whatever the thread count and however deep the
// pipeline (see ExecutionPlan's ring slots, plan.h).
//
// At most maxBlocksAlive blocks are in the levels at once: a deeper pipeline
// takes a new block only when the oldest has left the last level.

#include <cstdint>
#include <functional>
#include <span>

#include "mixdown/util/thread_pool.h"

namespace mixdown::graph {

/** The frames [startFrame, startFrame + frames) of a run: its sequence'th block. */
struct Block {
  std::int64_t sequence = 0;
  std::int64_t startFrame = 0;
  int frames = 0;
};

struct SchedulerLevel {
  int tasks = 0;
  /** Task task (0 <= task < tasks) on block; a level's tasks run in parallel. */
  std::function<void(int task, const Block& block)> run;
  /**
   * Optional: runs alone on the calling thread before the level's tasks take
   * a block (blocks in order). Returning false ends the run with that block:
   * the blocks after it leave the levels unfinished and no new one enters.
   */
  std::function<bool(const Block& block)> gate;
};

struct SchedulerRun {
  int blockFrames = 1024;
  std::int64_t endFrame = 0;  // blocks start at 0, 1 * blockFrames, ... while before it (at least one block)
  int maxBlocksAlive = 1;     // 1: each block takes every level before the next enters
};

/**
 * Runs blocks through levels (in order) until the blocks up to endFrame, or a
 * gate, ended the run; returns the last block that took every level. A step's
 * longest tasks run first, by how long each took in the step before (which
 * core runs a task never changes a bit), so the cores finish it together.
 * Rethrows the first exception of a task or gate. The steps allocate nothing.
 */
Block runLevels(ThreadPool& pool, std::span<const SchedulerLevel> levels, const SchedulerRun& run);

}  // namespace mixdown::graph
