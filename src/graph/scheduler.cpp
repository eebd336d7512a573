#include "mixdown/graph/scheduler.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <vector>

namespace mixdown::graph {

namespace {

/** A block in the levels, and the level it takes next. */
struct AliveBlock {
  Block block;
  size_t level = 0;
};

/** One task of a step: task of the level alive[block] takes. */
struct StepTask {
  size_t block = 0;
  int task = 0;
  size_t timing = 0;    // its entry in the seconds per task (the same task in every step)
  size_t position = 0;  // before sorting: the oldest block's tasks first
};

}  // namespace

Block runLevels(ThreadPool& pool, std::span<const SchedulerLevel> levels, const SchedulerRun& run) {
  assert(!levels.empty() && run.maxBlocksAlive >= 1 && run.blockFrames > 0);
  std::vector<size_t> firstTiming;  // per level: its first task's entry in seconds
  size_t allTasks = 0;
  for (const SchedulerLevel& level : levels) {
    firstTiming.push_back(allTasks);
    allTasks += static_cast<size_t>(level.tasks);
  }
  // How long each task took the last time it ran; a level holds one block at most, so a step runs each task once at most.
  std::vector<double> seconds(allTasks, 0.0);
  std::vector<StepTask> tasks;
  tasks.reserve(allTasks);
  std::vector<AliveBlock> alive;
  alive.reserve(static_cast<size_t>(run.maxBlocksAlive));
  const std::function<void(int)> runTask = [&](int index) {
    const StepTask& task = tasks[static_cast<size_t>(index)];
    const AliveBlock& entry = alive[task.block];
    const auto start = std::chrono::steady_clock::now();
    levels[entry.level].run(task.task, entry.block);
    seconds[task.timing] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };

  Block last;
  std::int64_t entered = 0;
  bool entering = true;
  while (true) {
    const std::int64_t startFrame = entered * run.blockFrames;
    entering = entering && (startFrame < run.endFrame || entered == 0);
    if (entering && alive.size() < static_cast<size_t>(run.maxBlocksAlive))
      alive.push_back({{entered++, startFrame, run.blockFrames}, 0});
    if (alive.empty()) return last;
    for (size_t index = 0; index < alive.size(); ++index) {  // oldest first
      const SchedulerLevel& level = levels[alive[index].level];
      if (level.gate && !level.gate(alive[index].block)) {
        alive.resize(index + 1);
        entering = false;
        break;
      }
    }
    tasks.clear();
    for (size_t block = 0; block < alive.size(); ++block) {
      const size_t level = alive[block].level;
      for (int task = 0; task < levels[level].tasks; ++task)
        tasks.push_back({block, task, firstTiming[level] + static_cast<size_t>(task), tasks.size()});
    }
    std::sort(tasks.begin(), tasks.end(), [&](const StepTask& a, const StepTask& b) {
      const double secondsA = seconds[a.timing], secondsB = seconds[b.timing];
      return secondsA != secondsB ? secondsA > secondsB : a.position < b.position;
    });
    pool.run(static_cast<int>(tasks.size()), runTask);
    for (AliveBlock& entry : alive) ++entry.level;
    if (alive.front().level == levels.size()) {
      last = alive.front().block;
      alive.erase(alive.begin());  // a handful of blocks: no deque, whose chunks come and go
    }
  }
}

}  // namespace mixdown::graph
