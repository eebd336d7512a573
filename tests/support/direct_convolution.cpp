#include "support/direct_convolution.h"

#include <cmath>

#include "support/processor_harness.h"

namespace mixdown::test {

std::vector<double> directConvolution(const std::vector<float>& input, const std::vector<float>& impulseResponse,
                                      std::size_t frames) {
  std::vector<double> output(frames, 0.0);
  for (std::size_t m = 0; m < input.size() && m < frames; ++m) {
    if (input[m] == 0.0f) continue;
    const double sample = input[m];
    for (std::size_t k = 0; k < impulseResponse.size() && m + k < frames; ++k)
      output[m + k] += sample * static_cast<double>(impulseResponse[k]);
  }
  return output;
}

std::vector<float> decayingNoise(std::size_t frames, unsigned seed, double decayDb) {
  std::vector<float> samples = makeNoise(frames, 1.0, seed);
  for (std::size_t n = 0; n < frames; ++n)
    samples[n] *= static_cast<float>(
        std::pow(10.0, -decayDb / 20.0 * static_cast<double>(n) / static_cast<double>(frames)));
  return samples;
}

}  // namespace mixdown::test
