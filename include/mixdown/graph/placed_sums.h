#pragma once
// A plan rewrite (plan.h): an edge with a constant gain out of a node nobody
// taps is summed by its target straight from the source's main signal (the
// same float products placeStereo would write, added in the same order), so
// the source writes no post-fader or send buffer for it. That halves the
// traffic through the busiest buffers and changes no bit
// (PlanOptions::placedSums switches it off). A source with a placed edge
// keeps its main per slot, for the later level that reads it.
//
// Not placed: automated gains (a series per frame, written once by the
// source), a silenced source (it writes silence), and a tapped source, whose
// output is written anyway for the render.

#include "mixdown/graph/plan.h"

namespace mixdown::graph {

void placeSums(const Graph& graph, ExecutionPlan& plan);

}  // namespace mixdown::graph
