// The scheduler (graph/scheduler.h) on levels of tasks that only record when
// they ran: which blocks it makes, that a level takes a block only after the
// level before has finished it, in block order, how many blocks are alive at
// once, and how a gate ends a run.

#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "mixdown/graph/scheduler.h"

using namespace mixdown;

namespace {

/** When one task ran on one block, in tickets of one counter shared by every task (start < end). */
struct Run {
  size_t level = 0;
  int task = 0;
  graph::Block block;
  long start = 0;
  long end = 0;
};

/** Levels with the given task counts, each task recording its runs. */
class Recorder {
public:
  explicit Recorder(const std::vector<int>& taskCounts) {
    for (size_t level = 0; level < taskCounts.size(); ++level)
      levels.push_back({taskCounts[level], [this, level](int task, const graph::Block& block) {
                          const long start = ticket_++;
                          const long end = ticket_++;
                          const std::lock_guard<std::mutex> lock(mutex_);
                          runs.push_back({level, task, block, start, end});
                        }, {}});
  }
  /** The runs of level on block (any task). */
  std::vector<Run> of(size_t level, std::int64_t sequence) const {
    std::vector<Run> found;
    for (const Run& run : runs)
      if (run.level == level && run.block.sequence == sequence) found.push_back(run);
    return found;
  }
  long firstStart(size_t level, std::int64_t sequence) const {
    long first = -1;
    for (const Run& run : of(level, sequence)) first = first < 0 ? run.start : std::min(first, run.start);
    return first;
  }
  long lastEnd(size_t level, std::int64_t sequence) const {
    long last = -1;
    for (const Run& run : of(level, sequence)) last = std::max(last, run.end);
    return last;
  }

  std::vector<graph::SchedulerLevel> levels;
  std::vector<Run> runs;

private:
  std::atomic<long> ticket_{0};
  std::mutex mutex_;
};

}  // namespace

TEST_CASE("scheduler: blocks of blockFrames from frame 0 until endFrame, every task once per block, each level after the one before") {
  const std::vector<int> taskCounts{3, 1, 2, 1};
  for (const int threads : {1, 2, 3}) {
    for (const int maxBlocksAlive : {1, 2, 4, 9}) {
      INFO(threads << " threads, " << maxBlocksAlive << " blocks alive");
      ThreadPool pool(threads);
      Recorder recorder(taskCounts);
      // 10 blocks: the last starts at 900, before 901.
      const graph::Block last = graph::runLevels(pool, recorder.levels, {100, 901, maxBlocksAlive});
      CHECK(last.sequence == 9);
      CHECK(last.startFrame == 900);
      CHECK(last.frames == 100);
      CHECK(recorder.runs.size() == 10 * (3 + 1 + 2 + 1));
      for (std::int64_t sequence = 0; sequence < 10; ++sequence)
        for (size_t level = 0; level < taskCounts.size(); ++level) {
          const std::vector<Run> runs = recorder.of(level, sequence);
          REQUIRE(runs.size() == static_cast<size_t>(taskCounts[level]));
          for (const Run& run : runs) CHECK(run.block.startFrame == 100 * sequence);
          // After every task of the level before on this block, and after this level's tasks on the block before.
          if (level > 0) CHECK(recorder.firstStart(level, sequence) > recorder.lastEnd(level - 1, sequence));
          if (sequence > 0) CHECK(recorder.firstStart(level, sequence) > recorder.lastEnd(level, sequence - 1));
          // A block enters only when fewer than maxBlocksAlive are in the levels.
          if (sequence >= maxBlocksAlive)
            CHECK(recorder.firstStart(0, sequence) > recorder.lastEnd(taskCounts.size() - 1, sequence - maxBlocksAlive));
        }
    }
  }
}

TEST_CASE("scheduler: with room for the blocks, a new block enters while older ones take later levels") {
  ThreadPool pool(1);
  Recorder pipelined({1, 1, 1, 1});
  graph::runLevels(pool, pipelined.levels, {64, 64 * 6, 4});
  // Block 1 enters in the step after block 0 did, two steps before block 0 reaches the last level.
  CHECK(pipelined.lastEnd(0, 1) < pipelined.firstStart(3, 0));
  // Block 3 enters in the step block 0 takes the last level in (after the step before, before the step after).
  CHECK(pipelined.firstStart(0, 3) > pipelined.lastEnd(2, 0));
  CHECK(pipelined.lastEnd(0, 3) < pipelined.firstStart(3, 1));
  Recorder serial({1, 1, 1, 1});
  graph::runLevels(pool, serial.levels, {64, 64 * 6, 1});
  CHECK(serial.firstStart(0, 1) > serial.lastEnd(3, 0));
}

TEST_CASE("scheduler: a run of no frames still takes one block, a gate that says no ends the run with its block") {
  ThreadPool pool(2);
  Recorder empty({2});
  const graph::Block only = graph::runLevels(pool, empty.levels, {128, 0, 3});
  CHECK(only.sequence == 0);
  CHECK(empty.runs.size() == 2);

  Recorder gated({1, 1, 2, 1});
  std::vector<std::int64_t> gateSaw;
  gated.levels[2].gate = [&](const graph::Block& block) {
    gateSaw.push_back(block.sequence);
    return block.sequence < 5;
  };
  const graph::Block last = graph::runLevels(pool, gated.levels, {10, 1000, 4});
  CHECK(last.sequence == 5);
  CHECK(gateSaw == std::vector<std::int64_t>{0, 1, 2, 3, 4, 5});
  // Block 5 takes the gated level and the one after it. Of the blocks behind it, block 6 had taken level 0
  // and goes no further; block 7, entering in that step, takes none.
  CHECK(gated.of(2, 5).size() == 2);
  CHECK(gated.of(3, 5).size() == 1);
  for (const Run& run : gated.runs)
    if (run.block.sequence > 5) CHECK((run.block.sequence == 6 && run.level == 0));
  CHECK(gated.of(0, 6).size() == 1);
}

TEST_CASE("scheduler: a task's exception leaves the run") {
  ThreadPool pool(2);
  std::vector<graph::SchedulerLevel> levels{{2, [](int task, const graph::Block& block) {
                                               if (block.sequence == 3 && task == 1) throw std::runtime_error("failed");
                                             }, {}}};
  CHECK_THROWS_WITH_AS(graph::runLevels(pool, levels, {16, 1600, 1}), "failed", std::runtime_error);
}
