#include "mixdown/cli/graph_command.h"

#include <iostream>

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
  const graph::Graph graph = graph::buildGraph(loaded.session, loaded.sources, {loaded.sampleRate, 1024, {}});
  if (options.plan) {
    const graph::ExecutionPlan plan = graph::compilePlan(graph, renderedNodes(graph, loaded.session), options.planOptions);
    std::cout << graph::describePlanAsText(graph, plan);
  } else {
    std::cout << (options.format == "dot" ? graph::describeAsDot(graph) : graph::describeAsText(graph));
  }
  return kExitSuccess;
}

}  // namespace mixdown::cli
