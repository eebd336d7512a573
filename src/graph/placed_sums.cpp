#include "mixdown/graph/placed_sums.h"

namespace mixdown::graph {

void placeSums(const Graph& graph, ExecutionPlan& plan) {
  for (PlanEdge& edge : plan.edges) {
    if (edge.tap.point == Tap::Point::Main) continue;
    const Node& source = graph.nodes[static_cast<size_t>(edge.source)];
    edge.placed = !edge.gain.automated() && !source.silenced && !plan.nodes[static_cast<size_t>(edge.source)].tapped &&
                  source.kind != NodeKind::Master;
  }
}

}  // namespace mixdown::graph
