#pragma once
// The step lane grouping (lane_grouping.h) puts in place of up to dsp::kLanes
// tracks' first inserts: it owns one dsp::LaneBatch per insert position, which
// computes each member's very bits. The members' processors of those
// positions are not part of the plan: only the batch holds their state.

#include <memory>
#include <vector>

#include "mixdown/dsp/lane_batch.h"

namespace mixdown::graph {

struct LaneGroupStep {
  std::vector<int> members;                                // tracks, in graph order
  std::vector<std::unique_ptr<dsp::LaneBatch>> batches;    // per insert position from the first
};

}  // namespace mixdown::graph
