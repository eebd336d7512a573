#pragma once
// Runs an engine as the render does (graph/scheduler.h): its levels, then one
// level of the test's own that reads each block once it has taken them all.

#include <cstdint>
#include <functional>

#include "mixdown/graph/engine.h"
#include "mixdown/util/thread_pool.h"

namespace mixdown::test {

struct EngineRun {
  int blockFrames = 1024;
  std::int64_t frames = 0;  // engine frames [0, frames), in whole blocks
  int maxBlocksAlive = 1;   // 1: one block through every level before the next; 0: the engine's most (pipelined)
};

/** read(block) for every block, in order, after the engine's last level; returns the last block. */
graph::Block runEngine(graph::Engine& engine, ThreadPool& pool, const EngineRun& run,
                       const std::function<void(const graph::Block&)>& read);

}  // namespace mixdown::test
