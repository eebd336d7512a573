#pragma once
// The processing graph as text or Graphviz dot: nodes in processing order
// with their channels and latencies, edges for outputs, sends and keys. And
// the execution plan compiled from it, after the rewrites (plan.h): levels,
// steps, lane groups, edges (placed or read from a buffer) and each node's
// buffers, as deterministic text to read and diff.

#include <string>

#include "mixdown/graph/graph.h"
#include "mixdown/graph/plan.h"

namespace mixdown::graph {

std::string describeAsText(const Graph& graph);
std::string describeAsDot(const Graph& graph);
std::string describePlanAsText(const Graph& graph, const ExecutionPlan& plan);

}  // namespace mixdown::graph
