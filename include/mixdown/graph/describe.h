#pragma once
// The processing graph as text or Graphviz dot: nodes in processing order
// with their channels and latencies, edges for outputs, sends and keys.

#include <string>

#include "mixdown/graph/graph.h"

namespace mixdown::graph {

std::string describeAsText(const Graph& graph);
std::string describeAsDot(const Graph& graph);

}  // namespace mixdown::graph
