#include "support/processor_harness.h"

#include <algorithm>
#include <random>

namespace mixdown::test {

namespace {

constexpr int kMaxRandomBlockFrames = 1024;

/** A buffer holding channels (frames frames each); empty channels give a buffer of no channels. */
AudioBuffer bufferOf(const Channels& channels, int frames) {
  const int channelCount = static_cast<int>(channels.size());
  AudioBuffer buffer(channelCount, frames);
  for (int c = 0; c < channelCount; ++c) {
    const std::vector<float>& samples = channels[static_cast<std::size_t>(c)];
    std::copy(samples.begin(), samples.end(), buffer.block(frames).channel(c));
  }
  return buffer;
}

}  // namespace

std::vector<float> makeNoise(std::size_t frames, double amplitude, unsigned seed) {
  std::mt19937 generator(seed);
  std::vector<float> samples(frames);
  for (auto& sample : samples)
    sample = static_cast<float>(amplitude * (2.0 * static_cast<double>(generator()) / 4294967296.0 - 1.0));
  return samples;
}

Channels processChannels(Processor& processor, double sampleRateHz, const Channels& input, const Channels& key,
                         unsigned splitSeed, PrepareFirst prepareFirst) {
  const int frames = static_cast<int>(input[0].size());
  const int channels = static_cast<int>(input.size());
  const int keyChannels = static_cast<int>(key.size());
  if (prepareFirst == PrepareFirst::Yes)
    processor.prepare({sampleRateHz, splitSeed == 0 ? frames : kMaxRandomBlockFrames, channels});
  AudioBuffer io = bufferOf(input, frames);
  const AudioBuffer keyBuffer = bufferOf(key, frames);
  std::mt19937 generator(splitSeed);
  std::uniform_int_distribution<int> blockFrames(1, kMaxRandomBlockFrames);
  for (int first = 0; first < frames;) {
    const int count = splitSeed == 0 ? frames : std::min(blockFrames(generator), frames - first);
    const ConstAudioBlock keyBlock =
        key.empty() ? ConstAudioBlock() : keyBuffer.constBlock(keyChannels, frames).slice(first, count);
    processor.process(io.block(frames).slice(first, count), keyBlock, first);
    first += count;
  }
  Channels output(static_cast<std::size_t>(channels));
  for (int c = 0; c < channels; ++c) {
    const float* samples = io.constBlock(channels, frames).channel(c);
    output[static_cast<std::size_t>(c)].assign(samples, samples + frames);
  }
  return output;
}

std::vector<int> randomBlockSizes(unsigned seed, int maxBlockFrames, std::size_t count) {
  std::mt19937 generator(seed);
  std::uniform_int_distribution<int> size(1, maxBlockFrames);
  std::vector<int> sizes(count);
  for (int& value : sizes) value = size(generator);
  return sizes;
}

/** Frames [first, first + count) of every channel. */
Channels framesOf(const Channels& channels, std::size_t first, std::size_t count) {
  Channels part;
  for (const auto& channel : channels)
    part.emplace_back(channel.begin() + static_cast<std::ptrdiff_t>(first),
                      channel.begin() + static_cast<std::ptrdiff_t>(first + count));
  return part;
}

}  // namespace mixdown::test
