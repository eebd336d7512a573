#pragma once
// Reference signals for convolution tests: direct time-domain convolution in
// double, and a noise impulse response that decays like a room's.

#include <cstddef>
#include <vector>

namespace mixdown::test {

/** sum_k impulseResponse[k] input[n - k] for n = 0 .. frames - 1 (input before 0 and after its end is 0), in double. */
std::vector<double> directConvolution(const std::vector<float>& input, const std::vector<float>& impulseResponse,
                                      std::size_t frames);

/** makeNoise(frames, 1, seed) times 10^(-decayDb / 20 * n / frames): a decay of decayDb over its length. */
std::vector<float> decayingNoise(std::size_t frames, unsigned seed, double decayDb = 60.0);

}  // namespace mixdown::test
