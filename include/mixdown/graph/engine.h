#pragma once
// Executes a compiled ExecutionPlan (plan.h): it makes every node's strip
// (strip.h) and gives the plan's levels to the scheduler (scheduler.h) as
// levels of tasks, one task per step: a node's strip, or a lane group (its
// batches, then each member's strip after them). Every decision (which
// buffers exist, which edges are placed, which tracks share lane batches,
// how deep each ring is) is the plan's; the engine only runs it.
//
// The caller reads the tapped nodes' outputs, meters and gain reductions of a
// block at the level after the engine's last (a level of its own, the
// render's writers) or after the run, for its last block.

#include <optional>
#include <vector>

#include "mixdown/graph/plan.h"
#include "mixdown/graph/scheduler.h"
#include "mixdown/graph/strip.h"

namespace mixdown::graph {

class Engine {
public:
  /**
   * Compiles graph (which must outlive the engine) with options and opens the
   * track readers. tappedNodes: the nodes whose output() the caller reads (the
   * render's outputs); all when none is given.
   */
  explicit Engine(Graph& graph, const std::optional<std::vector<int>>& tappedNodes = std::nullopt,
                  const PlanOptions& options = {});
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const ExecutionPlan& plan() const noexcept { return plan_; }
  /** The plan's levels for runLevels(): level i's task j runs step j of plan().levels[i]. */
  std::vector<SchedulerLevel> levels();
  /** At most this many blocks may be alive in levels() and one level after them (the plan's ring slots). */
  int maxBlocksAlive() const noexcept { return plan_.blocksAlive; }

  /** What node sends to its output in block (stereo): its stem; the mix for the master. Tapped nodes only. */
  ConstAudioBlock output(int node, const Block& block) const { return strip(node).output(block); }
  /** The sum entering a bus or the master before its inserts in block; tapped nodes only. */
  ConstAudioBlock sumInput(int node, const Block& block) const { return strip(node).sumInput(block); }
  /** Node's meters over every block up to block. */
  const NodeMeters& meters(int node, const Block& block) const { return strip(node).meters(block); }
  /** The largest gain reduction of node's insert up to block (dB, >= 0). */
  double maxGainReductionDb(int node, int insert, const Block& block) const {
    return strip(node).maxGainReductionDb(insert, block);
  }
  /** Whether node's insert reduces gain (has a gain-reduction meter), wherever it runs. */
  bool reducesGain(int node, int insert) const { return strip(node).gainReductionMeter(insert) != nullptr; }

private:
  const Strip& strip(int node) const { return strips_[static_cast<size_t>(node)]; }
  void runStep(const PlanStep& step, const Block& block);

  ExecutionPlan plan_;
  std::vector<Strip> strips_;  // as graph.nodes
};

}  // namespace mixdown::graph
