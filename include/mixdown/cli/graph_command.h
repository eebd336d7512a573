#pragma once
// `mixdown graph SESSION [--format dot|text] [--plan]`: the processing graph with latencies, or the
// execution plan compiled from it (after the rewrites) for the session's outputs.

#include <string>
#include <vector>

#include "mixdown/cli/command.h"
#include "mixdown/graph/plan.h"

namespace mixdown::cli {

struct GraphCommandOptions {
  std::string session;
  std::string format = "text";
  std::vector<std::string> assignments;
  bool plan = false;
  graph::PlanOptions planOptions;  // the hidden --no-lane-groups, --no-placed-sums
};

int runGraph(const GraphCommandOptions& options);

/** Adds `graph` and its flags to app. */
RegisteredCommand registerGraphCommand(CLI::App& app);

}  // namespace mixdown::cli
