// The partitioned FFT convolver against direct time-domain convolution computed
// here in double, for impulse responses shorter than, equal to and longer than a
// partition (by one frame either side), in random block splits.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "mixdown/dsp/partitioned_convolver.h"
#include "support/direct_convolution.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

using namespace mixdown::dsp;
using namespace mixdown::test;

namespace {

constexpr double kMaxErrorDb = -110.0;  // acceptance bound: max |out - ref| / max |ref|

/** Runs convolver over input in blocks of sizes drawn from randomBlockSizes(splitSeed) (all at once for 0). */
std::vector<float> run(PartitionedConvolver& convolver, const std::vector<float>& input, unsigned splitSeed) {
  std::vector<float> output(input.size());
  const int frames = static_cast<int>(input.size());
  const std::vector<int> sizes = randomBlockSizes(splitSeed, 1024, 4096);
  std::size_t next = 0;
  for (int first = 0; first < frames;) {
    const int count = splitSeed == 0 ? frames : std::min(sizes[next++ % sizes.size()], frames - first);
    convolver.process(input.data() + first, output.data() + first, count);
    first += count;
  }
  return output;
}

/** 20 log10(max |output[n + latency] - reference[n]| / max |reference|). */
double relativeErrorDb(const std::vector<float>& output, const std::vector<double>& reference, std::size_t latency) {
  double worst = 0.0, peak = 0.0;
  for (std::size_t n = 0; n < latency; ++n) worst = std::max(worst, std::abs(static_cast<double>(output[n])));
  for (std::size_t n = 0; n + latency < output.size(); ++n) {
    peak = std::max(peak, std::abs(reference[n]));
    worst = std::max(worst, std::abs(output[n + latency] - reference[n]));
  }
  return amplitudeToDb(worst / peak);
}

}  // namespace

TEST_CASE("dsp: partitioned convolver equals direct convolution around partition boundaries") {
  const int partitionFrames = 64;
  for (const std::size_t irFrames : {1u, 2u, 63u, 64u, 65u, 127u, 128u, 129u, 1000u}) {
    const std::vector<float> impulseResponse = decayingNoise(irFrames, 11);
    // Input: 3000 frames of noise, then silence long enough for the whole tail.
    std::vector<float> input = makeNoise(3000, 1.0, 12);
    input.resize(3000 + irFrames + 2 * partitionFrames, 0.0f);
    const std::vector<double> reference = directConvolution(input, impulseResponse, input.size());
    for (const unsigned splitSeed : {0u, 21u}) {
      PartitionedConvolver convolver(impulseResponse, 1.0, partitionFrames);
      const double errorDb = relativeErrorDb(run(convolver, input, splitSeed), reference, 64);
      INFO("IR frames " << irFrames << ", split seed " << splitSeed << ": error " << errorDb << " dB");
      CHECK(errorDb <= kMaxErrorDb);
    }
  }
}

TEST_CASE("dsp: partitioned convolver equals direct convolution for IRs of 4097 and 100000 frames") {
  for (const int partitionFrames : {1024, 8192})
    for (const std::size_t irFrames : {4097u, 100000u}) {
      const std::vector<float> impulseResponse = decayingNoise(irFrames, 13);
      std::vector<float> input = makeNoise(2000, 1.0, 14);  // short: the direct sum costs 2000 x irFrames
      input.resize(2000 + irFrames + 2 * static_cast<std::size_t>(partitionFrames), 0.0f);
      const std::vector<double> reference = directConvolution(input, impulseResponse, input.size());
      PartitionedConvolver convolver(impulseResponse, 1.0, partitionFrames);
      const double errorDb =
          relativeErrorDb(run(convolver, input, 31), reference, static_cast<std::size_t>(partitionFrames));
      INFO("partition " << partitionFrames << ", IR frames " << irFrames << ": error " << errorDb << " dB");
      CHECK(errorDb <= kMaxErrorDb);
    }
}

TEST_CASE("dsp: partitioned convolver delays a unit impulse by exactly one partition and applies its gain") {
  const std::vector<float> impulseResponse{0.5f, -0.25f, 0.125f};
  std::vector<float> input(600, 0.0f);
  input[100] = 1.0f;
  PartitionedConvolver convolver(impulseResponse, 2.0, 256);
  CHECK(convolver.latencyFrames() == 256);
  CHECK(convolver.partitionCount() == 1);
  const std::vector<float> output = run(convolver, input, 41);
  for (std::size_t n = 0; n < output.size(); ++n) {
    const std::size_t tap = n - 356;  // wraps to a huge value before the response
    const double expected = tap < impulseResponse.size() ? 2.0 * impulseResponse[tap] : 0.0;
    CHECK(std::abs(output[n] - expected) <= 1e-7);
  }
}

TEST_CASE("dsp: partitioned convolver output is independent of the block split and repeats after reset") {
  const std::vector<float> impulseResponse = decayingNoise(5000, 15);
  const std::vector<float> input = makeNoise(20000, 1.0, 16);
  PartitionedConvolver whole(impulseResponse, 0.3, 512), split(impulseResponse, 0.3, 512);
  const std::vector<float> expected = run(whole, input, 0);
  CHECK(run(split, input, 51) == expected);
  split.reset();
  CHECK(run(split, input, 52) == expected);
}

TEST_CASE("dsp: partitioned convolver works in place") {
  const std::vector<float> impulseResponse = decayingNoise(300, 17);
  const std::vector<float> input = makeNoise(4000, 1.0, 18);
  PartitionedConvolver separate(impulseResponse, 1.0, 128), inPlace(impulseResponse, 1.0, 128);
  const std::vector<float> expected = run(separate, input, 61);
  std::vector<float> samples = input;
  const std::vector<int> sizes = randomBlockSizes(61, 1024, 4096);
  for (std::size_t first = 0, next = 0; first < samples.size();) {
    const auto count = std::min<std::size_t>(static_cast<std::size_t>(sizes[next++]), samples.size() - first);
    inPlace.process(samples.data() + first, samples.data() + first, static_cast<int>(count));
    first += count;
  }
  CHECK(samples == expected);
}

TEST_CASE("dsp: partitioned convolver with an all-zero IR outputs exact zeros") {
  const std::vector<float> impulseResponse(3000, 0.0f);
  PartitionedConvolver convolver(impulseResponse, 1.0, 256);
  const std::vector<float> output = run(convolver, makeNoise(5000, 1.0, 19), 71);
  CHECK(std::all_of(output.begin(), output.end(), [](float x) { return x == 0.0f; }));
}
