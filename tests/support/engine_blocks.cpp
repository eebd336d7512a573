#include "support/engine_blocks.h"

#include <vector>

namespace mixdown::test {

graph::Block runEngine(graph::Engine& engine, ThreadPool& pool, const EngineRun& run,
                       const std::function<void(const graph::Block&)>& read) {
  std::vector<graph::SchedulerLevel> levels = engine.levels();
  levels.push_back({1, [&](int, const graph::Block& block) { read(block); }, {}});
  const int maxBlocksAlive = run.maxBlocksAlive > 0 ? run.maxBlocksAlive : engine.maxBlocksAlive();
  return graph::runLevels(pool, levels, {run.blockFrames, run.frames, maxBlocksAlive});
}

}  // namespace mixdown::test
