#pragma once
// Session -> Graph: nodes, edges, solo/mute, processors, order and latency.

#include <functional>
#include <memory>

#include "mixdown/graph/graph.h"
#include "mixdown/session/check_sources.h"
#include "mixdown/session/model.h"

namespace mixdown::graph {

/** Builds a processor for an insert (the default knows every type the renderer supports). */
using ProcessorFactory = std::function<std::unique_ptr<Processor>(const session::Insert&)>;

struct BuildOptions {
  int sampleRate = 48000;
  int maxBlockFrames = 1024;
  ProcessorFactory makeProcessor;  // empty: makeProcessor() of processor_factory.h
};

Graph buildGraph(const session::Session& session, const session::SourceInfos& sources, const BuildOptions& options);

}  // namespace mixdown::graph
