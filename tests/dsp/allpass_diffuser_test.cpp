// AllpassDiffuser against its defining recursion, v[n] = x[n] + g v[n - D],
// y[n] = v[n - D] - g v[n], per stage and per sample in float (with v flushed
// to 0 below the denormal guard's level, as the header's kernel does), for
// any block split: the same bits.

#include "mixdown/dsp/allpass_diffuser.h"

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "mixdown/dsp/denormal_guard.h"
#include "support/test_signals.h"

using namespace mixdown::dsp;
using mixdown::test::sameBits;

namespace {

std::vector<float> byDefinition(const std::vector<AllpassDiffuser::Stage>& stages, std::vector<float> samples) {
  for (const AllpassDiffuser::Stage& stage : stages) {
    const auto delay = static_cast<std::size_t>(stage.delayFrames);
    std::vector<float> v(samples.size());
    for (std::size_t n = 0; n < samples.size(); ++n) {
      const float past = n >= delay ? v[n - delay] : 0.0f;
      v[n] = flushTiny(samples[n] + stage.gain * past);
      samples[n] = past - stage.gain * v[n];
    }
  }
  return samples;
}

}  // namespace

TEST_CASE("dsp: allpass diffuser follows its recursion bit for bit, whatever the block split") {
  const std::vector<AllpassDiffuser::Stage> stages = {{1, 0.5f}, {3, -0.6f}, {8, 0.7f}, {37, 0.62f}, {331, -0.55f}};
  std::mt19937 random(9);
  std::normal_distribution<float> noise(0.0f, 0.4f);
  std::vector<float> input(20000);
  for (float& sample : input) sample = noise(random);
  const std::vector<float> expected = byDefinition(stages, input);
  for (const unsigned seed : {1u, 2u}) {
    AllpassDiffuser diffuser;
    diffuser.prepare(stages);
    std::vector<float> samples = input;
    std::mt19937 split(seed);
    for (std::size_t start = 0; start < samples.size();) {
      const int count = static_cast<int>(std::min<std::size_t>(samples.size() - start, 1 + split() % 700));
      diffuser.process(samples.data() + start, count);
      start += static_cast<std::size_t>(count);
    }
    INFO("split " << seed);
    CHECK(sameBits(samples, expected));
  }
}
