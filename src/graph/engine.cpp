#include "mixdown/graph/engine.h"

#include "mixdown/util/denormals.h"

namespace mixdown::graph {

Engine::Engine(Graph& graph, const std::optional<std::vector<int>>& tappedNodes, const PlanOptions& options)
    : plan_(compilePlan(graph, tappedNodes, options)) {
  strips_.reserve(graph.nodes.size());
  for (size_t node = 0; node < graph.nodes.size(); ++node) strips_.emplace_back(graph, plan_, static_cast<int>(node));
}

std::vector<SchedulerLevel> Engine::levels() {
  std::vector<SchedulerLevel> levels;
  for (const std::vector<PlanStep>& steps : plan_.levels)
    levels.push_back({static_cast<int>(steps.size()),
                      [this, &steps](int task, const Block& block) { runStep(steps[static_cast<size_t>(task)], block); },
                      {}});
  return levels;
}

void Engine::runStep(const PlanStep& step, const Block& block) {
  const ScopedFlushDenormals flushDenormals;
  if (step.node >= 0) {
    strips_[static_cast<size_t>(step.node)].process(block, strips_);
    return;
  }
  // A lane group: its members' sources, their first inserts as one batch per position, then each strip goes on.
  const LaneGroupStep& group = plan_.laneGroups[static_cast<size_t>(step.laneGroup)];
  AudioBlock signals[dsp::kLanes];
  for (size_t member = 0; member < group.members.size(); ++member) {
    Strip& strip = strips_[static_cast<size_t>(group.members[member])];
    strip.readSource(block);
    signals[member] = strip.source(block);
  }
  for (const auto& batch : group.batches) batch->process(std::span<const AudioBlock>(signals, group.members.size()));
  for (int node : group.members) {
    Strip& strip = strips_[static_cast<size_t>(node)];
    strip.runInserts(block, static_cast<int>(group.batches.size()), strips_);
    strip.placeOutputs(block);
    strip.keepMeters(block);
  }
}

}  // namespace mixdown::graph
