#pragma once
// The render's masking analysis (session insight.masking): every track's
// output as it reaches the mix (post-fader, post-pan: the node's output, the
// plan's tap, so no stem is written for it) aligned to session time like a
// stem (delayed by the total latency minus the node's), fed block by block to
// analysis::MaskingAnalysis from the output stage's level, over the output
// frames only.

#include <vector>

#include "mixdown/analysis/masking_analysis.h"
#include "mixdown/dsp/delay_line.h"
#include "mixdown/graph/engine.h"
#include "mixdown/graph/graph.h"
#include "mixdown/session/model.h"

namespace mixdown::render {

class MaskingTap {
public:
  /** One analysed track per session track, in session order. */
  MaskingTap(const session::Session& session, const graph::Graph& graph, int blockFrames);

  /** The nodes the engine must tap (their outputs are read after its last level). */
  const std::vector<int>& nodes() const noexcept { return nodes_; }
  /** Takes block's output frames [firstFrame, firstFrame + frameCount); every block passes, for the alignment. */
  void add(const graph::Engine& engine, const graph::Block& block, int firstFrame, int frameCount);
  analysis::MaskingResult finish() { return analysis_.finish(); }

private:
  std::vector<int> nodes_;
  std::vector<dsp::DelayLine> align_;   // per track: total latency - its node's
  std::vector<AudioBuffer> scratch_;    // per delayed track: the aligned block
  std::vector<ConstAudioBlock> blocks_;
  analysis::MaskingAnalysis analysis_;
};

}  // namespace mixdown::render
