// FeedbackDelayNetwork runs frames in blocks of kFloatLanes wherever it can
// (no line shorter than a block, no decay ramp) and one at a time elsewhere.
// The block path against the frame path, which a network takes when fed one
// frame per call: the same bits, through ring wraps, a decay ramp and its end.

#include "mixdown/dsp/feedback_delay_network.h"

#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "support/test_signals.h"

using namespace mixdown::dsp;

using mixdown::test::sameBits;

namespace {

/** Lines of 8 .. 300 frames (the shortest as long as a block), or with one of 5 frames (too short for blocks). */
FeedbackDelayNetwork::Design smallDesign(bool shortLine) {
  FeedbackDelayNetwork::Design design;
  const int primes[FeedbackDelayNetwork::kLineCount] = {11, 13, 17, 19, 23, 29, 37, 43, 53, 67, 79, 97, 131, 173, 229, 293};
  for (int line = 0; line < FeedbackDelayNetwork::kLineCount; ++line) design.delayFrames[static_cast<size_t>(line)] = primes[line];
  design.delayFrames[3] = shortLine ? 5 : 8;
  design.lowDecayS = 0.4;
  design.highDecayS = 0.15;
  design.crossoverHz = 3000.0;
  design.sampleRate = 48000.0;
  return design;
}

struct Stereo {
  std::vector<float> left, right;
};

/** The network over input, in calls of the sizes `split` draws (1 for every call when split is 0), with a decay
    ramp of 3001 frames starting at frame 9000. */
Stereo run(const FeedbackDelayNetwork::Design& design, Stereo input, unsigned split) {
  FeedbackDelayNetwork network;
  network.prepare(design);
  std::mt19937 random(split);
  const auto frames = static_cast<int>(input.left.size());
  for (int start = 0; start < frames;) {
    int count = split == 0 ? 1 : 1 + static_cast<int>(random() % 300);
    if (start < 9000) count = std::min(count, 9000 - start);  // the ramp starts at frame 9000 in every run
    count = std::min(count, frames - start);
    if (start == 9000) network.setDecay(1.2, 0.6, 3001);
    network.process(input.left.data() + start, input.right.data() + start, count);
    start += count;
  }
  return input;
}

}  // namespace

TEST_CASE("dsp: the feedback delay network gives the same bits in blocks of frames as frame by frame") {
  std::mt19937 random(5);
  std::normal_distribution<float> noise(0.0f, 0.3f);
  Stereo input;
  for (int frame = 0; frame < 30000; ++frame) {  // noise, then silence from 20000 on: the tail
    input.left.push_back(frame < 20000 ? noise(random) : 0.0f);
    input.right.push_back(frame < 20000 ? noise(random) : 0.0f);
  }
  for (const bool shortLine : {false, true}) {
    const FeedbackDelayNetwork::Design design = smallDesign(shortLine);
    const Stereo frameByFrame = run(design, input, 0);
    CHECK(frameByFrame.left[25000] != 0.0f);  // the tail still rings
    for (const unsigned split : {1u, 2u, 3u}) {
      INFO("short line " << shortLine << ", split " << split);
      const Stereo blocks = run(design, input, split);
      CHECK(sameBits(blocks.left, frameByFrame.left));
      CHECK(sameBits(blocks.right, frameByFrame.right));
    }
  }
}
