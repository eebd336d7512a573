#pragma once
// Feeds meters signals computed frame by frame, in blocks, so that signals of a
// minute or more never sit in memory whole. Shared by the analysis tests.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <vector>

#include "mixdown/audio/audio_block.h"

namespace mixdown::test {

/** A level in dBFS that stands for digital silence. */
inline constexpr double kSilenceDbfs = -std::numeric_limits<double>::infinity();

/**
 * Calls meter.add() with frames [first, first + frames) of sample(frame, channel)
 * (frame counted from the signal's start), in blocks of blockFrames, and
 * afterBlock() after each block.
 */
template <typename Meter, typename Sample, typename AfterBlock>
void feedSignal(Meter& meter, int channels, std::int64_t first, std::int64_t frames, int blockFrames, Sample&& sample,
                AfterBlock&& afterBlock) {
  AudioBuffer buffer(channels, blockFrames);
  for (std::int64_t done = 0; done < frames;) {
    const auto count = static_cast<int>(std::min<std::int64_t>(blockFrames, frames - done));
    const AudioBlock block = buffer.block(count);
    for (int channel = 0; channel < channels; ++channel) {
      float* samples = block.channel(channel);
      for (int frame = 0; frame < count; ++frame)
        samples[frame] = static_cast<float>(sample(first + done + frame, channel));
    }
    meter.add(block);
    afterBlock();
    done += count;
  }
}

template <typename Meter, typename Sample>
void feedSignal(Meter& meter, int channels, std::int64_t first, std::int64_t frames, Sample&& sample) {
  feedSignal(meter, channels, first, frames, 4096, sample, [] {});
}

/**
 * Deterministic white noise uniform in [-1, 1): a function of (seed, frame, channel)
 * alone (splitmix64 of the three), so any block order gives the same samples.
 */
inline double hashNoise(std::uint64_t seed, std::int64_t frame, int channel = 0) {
  std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(frame) * 0xBF58476D1CE4E5B9ull +
                        static_cast<std::uint64_t>(channel) * 0x94D049BB133111EBull;
  state = (state ^ (state >> 30)) * 0xBF58476D1CE4E5B9ull;
  state = (state ^ (state >> 27)) * 0x94D049BB133111EBull;
  state ^= state >> 31;
  return static_cast<double>(state >> 11) * 0x1.0p-52 - 1.0;  // 53 bits -> [0, 2) - 1
}

/** A stretch of 1 kHz sine: peak level per channel (kSilenceDbfs for none) and length. */
struct ToneSegment {
  std::vector<double> channelLevelsDbfs;
  double durationS = 0.0;
};

/**
 * Feeds the segments one after the other as one 1 kHz sine, A_c sin(2 pi 1000 n / rate)
 * with n the frame's index from the start (the phase runs on across segments) and A_c
 * the segment's peak amplitude in channel c. Each segment lasts round(durationS * rate)
 * frames. Returns the frames fed.
 */
template <typename Meter, typename AfterBlock>
std::int64_t feedTones(Meter& meter, int sampleRateHz, const std::vector<ToneSegment>& segments, int blockFrames,
                       AfterBlock&& afterBlock) {
  constexpr double kToneHz = 1000.0;
  std::int64_t start = 0;
  for (const ToneSegment& segment : segments) {
    std::vector<double> amplitudes;
    for (const double level : segment.channelLevelsDbfs) amplitudes.push_back(std::pow(10.0, level / 20.0));
    const auto frames = static_cast<std::int64_t>(std::llround(segment.durationS * sampleRateHz));
    const double radiansPerFrame = 2.0 * std::numbers::pi * kToneHz / sampleRateHz;
    feedSignal(
        meter, static_cast<int>(amplitudes.size()), start, frames, blockFrames,
        [&](std::int64_t frame, int channel) {
          return amplitudes[static_cast<std::size_t>(channel)] * std::sin(radiansPerFrame * static_cast<double>(frame));
        },
        afterBlock);
    start += frames;
  }
  return start;
}

template <typename Meter>
std::int64_t feedTones(Meter& meter, int sampleRateHz, const std::vector<ToneSegment>& segments) {
  return feedTones(meter, sampleRateHz, segments, 4096, [] {});
}

/** A stereo segment: the same level in both channels. */
inline ToneSegment stereoTone(double levelDbfs, double durationS) {
  return ToneSegment{{levelDbfs, levelDbfs}, durationS};
}

}  // namespace mixdown::test
