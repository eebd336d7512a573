#include "mixdown/cli/graph_command.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/graph/build.h"
#include "mixdown/graph/describe.h"
#include "mixdown/session/load.h"
#include "mixdown/session/output_plan.h"

namespace mixdown::cli {

namespace {

/** The nodes a render of the session's outputs reads: the master (the mix) and each stem's node. */
std::vector<int> renderedNodes(const graph::Graph& graph, const session::Session& session) {
  std::vector<int> nodes{graph.masterNode};
  if (session.outputs.stems)
    for (const std::string& name : session::stemNames(session, *session.outputs.stems))
      if (const int node = graph.nodeIndex(name); node >= 0) nodes.push_back(node);
  return nodes;
}

}  // namespace

int runGraph(const GraphCommandOptions& options) {
  const session::LoadResult result = session::loadSession(options.session, {options.assignments, true});
  if (!result.loaded) {
    printDiagnostics(options.session, result.diagnostics);
    return kExitFailure;
  }
  const session::LoadedSession& loaded = *result.loaded;
  graph::Graph graph = graph::buildGraph(loaded.session, loaded.sources, {loaded.sampleRate, 1024, {}});
  if (options.plan) {
    const graph::ExecutionPlan plan = graph::compilePlan(graph, renderedNodes(graph, loaded.session), options.planOptions);
    std::cout << graph::describePlanAsText(graph, plan);
  } else {
    std::cout << (options.format == "dot" ? graph::describeAsDot(graph) : graph::describeAsText(graph));
  }
  return kExitSuccess;
}

RegisteredCommand registerGraphCommand(CLI::App& app) {
  struct Options {
    GraphCommandOptions graph;
    bool noLaneGroups = false;
    bool noPlacedSums = false;
  };
  const auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("graph", "print the processing graph, with latencies, or its execution plan");
  command->add_option("SESSION", options->graph.session, "session file")->required();
  CLI::Option* formatOption = command->add_option("--format", options->graph.format, "text (default) or dot (Graphviz)")
                                  ->check(CLI::IsMember({"text", "dot"}));
  command->add_option("--set", options->graph.assignments, "PATH=VALUE: change one value first (repeatable)")
      ->allow_extra_args(false);
  command->add_flag("--plan", options->graph.plan, "print the execution plan (levels, steps, lane groups, edges, buffers)")
      ->excludes(formatOption);
  // Hidden: each plan rewrite switched off, to see and compare what it does (the output is the same bits).
  command->add_flag("--no-lane-groups", options->noLaneGroups)->group("");
  command->add_flag("--no-placed-sums", options->noPlacedSums)->group("");
  return {command, [options] {
            options->graph.planOptions = {!options->noLaneGroups, !options->noPlacedSums};
            return runGraph(options->graph);
          }};
}

}  // namespace mixdown::cli
