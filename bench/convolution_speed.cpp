// Speed of the `convolution` processor on one core: a 10 s stereo impulse
// response at 48 kHz (seeded noise decaying by 60 dB over its length) over
// 3 minutes of stereo noise, processed in 4096-frame blocks as the engine does
// (flush-to-zero on). Prints the time to prepare, the time to process and the
// realtime factor (audio seconds / processing seconds); the target is >= 20.
//
//   convolution_speed [AUDIO_SECONDS [IR_SECONDS [SAMPLE_RATE_HZ]]]   (defaults 180 10 48000)

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "mixdown/dsp/convolution.h"
#include "mixdown/util/denormals.h"

namespace {

constexpr int kBlockFrames = 4096;
constexpr int kChannels = 2;

/** Uniform noise in [-amplitude, amplitude). */
void fillNoise(std::mt19937& generator, float* samples, std::size_t count, double amplitude) {
  std::uniform_real_distribution<double> uniform(-amplitude, amplitude);
  for (std::size_t n = 0; n < count; ++n) samples[n] = static_cast<float>(uniform(generator));
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double argumentOr(int argc, char** argv, int index, double fallback) {
  return argc > index ? std::strtod(argv[index], nullptr) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const double audioSeconds = argumentOr(argc, argv, 1, 180.0);
  const double irSeconds = argumentOr(argc, argv, 2, 10.0);
  const double sampleRate = argumentOr(argc, argv, 3, 48000.0);
  const auto irFrames = static_cast<std::size_t>(std::lround(irSeconds * sampleRate));
  const auto audioFrames = static_cast<std::int64_t>(std::llround(audioSeconds * sampleRate));

  std::mt19937 generator(2024);
  mixdown::dsp::ConvolutionProcessor::Params params;
  params.impulseResponseRateHz = sampleRate;
  params.impulseResponse.assign(kChannels, std::vector<float>(irFrames));
  for (auto& channel : params.impulseResponse) {
    fillNoise(generator, channel.data(), irFrames, 1.0);
    for (std::size_t n = 0; n < irFrames; ++n)  // -60 dB at the end
      channel[n] *= static_cast<float>(std::pow(10.0, -3.0 * static_cast<double>(n) / static_cast<double>(irFrames)));
  }
  params.mix = 0.3;

  const mixdown::ScopedFlushDenormals flushDenormals;
  mixdown::dsp::ConvolutionProcessor convolution(params);
  const auto prepareStart = std::chrono::steady_clock::now();
  convolution.prepare({sampleRate, kBlockFrames, kChannels});
  const double prepareSeconds = secondsSince(prepareStart);

  mixdown::AudioBuffer buffer(kChannels, kBlockFrames);
  double processSeconds = 0.0;
  for (std::int64_t first = 0; first < audioFrames; first += kBlockFrames) {
    const auto frames = static_cast<int>(std::min<std::int64_t>(kBlockFrames, audioFrames - first));
    const mixdown::AudioBlock block = buffer.block(frames);
    for (int c = 0; c < kChannels; ++c) fillNoise(generator, block.channel(c), static_cast<std::size_t>(frames), 0.5);
    const auto start = std::chrono::steady_clock::now();
    convolution.process(block, mixdown::ConstAudioBlock(), first);
    processSeconds += secondsSince(start);
  }

  std::printf("convolution: %.1f s stereo IR over %.1f s of stereo audio at %.0f Hz, %d-frame blocks, one thread\n",
              irSeconds, audioSeconds, sampleRate, kBlockFrames);
  std::printf("partition %d frames, latency %d frames\n", convolution.partitionFrames(), convolution.latencyFrames());
  std::printf("prepare %.3f s, process %.3f s: %.1fx realtime (%.1fx with prepare)\n", prepareSeconds, processSeconds,
              audioSeconds / processSeconds, audioSeconds / (processSeconds + prepareSeconds));
  return 0;
}
