#include "mixdown/render/masking_tap.h"

namespace mixdown::render {

namespace {

constexpr int kStereo = 2;

std::vector<std::string> trackNames(const session::Session& session) {
  std::vector<std::string> names;
  for (const session::Track& track : session.tracks) names.push_back(track.name);
  return names;
}

}  // namespace

MaskingTap::MaskingTap(const session::Session& session, const graph::Graph& graph, int blockFrames)
    : analysis_(trackNames(session), graph.sampleRate) {
  for (const session::Track& track : session.tracks) {
    const int node = graph.nodeIndex(track.name);
    nodes_.push_back(node);
    const int delayFrames = graph.totalLatencyFrames() - graph.nodes[static_cast<size_t>(node)].outputLatencyFrames;
    align_.emplace_back(kStereo, delayFrames);
    scratch_.emplace_back(kStereo, delayFrames > 0 ? blockFrames : 0);  // empty where unused
  }
  blocks_.resize(nodes_.size());
}

void MaskingTap::add(const graph::Engine& engine, const graph::Block& block, int firstFrame, int frameCount) {
  for (size_t t = 0; t < nodes_.size(); ++t) {
    const ConstAudioBlock output = engine.output(nodes_[t], block);
    if (align_[t].delayFrames() == 0) {
      blocks_[t] = output.slice(firstFrame, frameCount);
      continue;
    }
    blocks_[t] = dsp::delayedCopy(align_[t], output, scratch_[t]).slice(firstFrame, frameCount);
  }
  if (frameCount > 0) analysis_.add(blocks_);
}

}  // namespace mixdown::render
