#include "mixdown/cli/graph_command.h"

#include <iostream>

#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/graph/build.h"
#include "mixdown/graph/describe.h"
#include "mixdown/session/load.h"

namespace mixdown::cli {

int runGraph(const std::string& session, const std::string& format, const std::vector<std::string>& assignments) {
  const session::LoadResult result = session::loadSession(session, {assignments, true});
  if (!result.loaded) {
    printDiagnostics(session, result.diagnostics);
    return kExitFailure;
  }
  const session::LoadedSession& loaded = *result.loaded;
  const graph::Graph graph = graph::buildGraph(loaded.session, loaded.sources, {loaded.sampleRate, 1024, {}});
  std::cout << (format == "dot" ? graph::describeAsDot(graph) : graph::describeAsText(graph));
  return kExitSuccess;
}

}  // namespace mixdown::cli
