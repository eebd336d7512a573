#pragma once
// A plan rewrite (plan.h): tracks of one level whose chains begin with inserts
// offering one batch kind (Processor::laneBatchOffer) are processed together,
// those inserts as one lane batch per position, which takes their processors
// out of the graph; the groups are the ones dsp::LaneGroupPolicy forms (a
// vector pass's worth, mono before stereo). The group's step replaces its
// members' steps and runs their chains' batched prefix; each member's strip
// goes on from the first insert after it. Groups depend on the session alone,
// and a batch computes each member's very bits, so grouping changes the speed
// and never the output (PlanOptions::laneGroups switches it off).

#include "mixdown/graph/plan.h"

namespace mixdown::graph {

void groupLanes(Graph& graph, ExecutionPlan& plan);

}  // namespace mixdown::graph
