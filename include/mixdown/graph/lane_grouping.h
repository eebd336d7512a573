#pragma once
// A plan rewrite (plan.h): tracks of one level whose chains begin with inserts
// of one kind are processed together, those inserts as one lane batch per
// position, up to dsp::kLanes tracks per group, mono tracks grouped before
// stereo ones so every vector pass is full. The group's step replaces its
// members' steps and runs their chains' batched prefix; each member's strip
// goes on from the first insert after it. Groups depend on the session alone,
// and a batch computes each member's very bits, so grouping changes the speed
// and never the output (PlanOptions::laneGroups switches it off).

#include "mixdown/graph/plan.h"

namespace mixdown::graph {

void groupLanes(const Graph& graph, ExecutionPlan& plan);

}  // namespace mixdown::graph
