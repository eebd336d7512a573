#pragma once
// Drives a Processor the way the graph does, from test data held as planar
// channels: seeded noise inputs, and processing in one call or in random blocks.

#include <vector>

#include "mixdown/dsp/processor.h"

namespace mixdown::test {

/** Planar channels of equal length: channels[c][n] is frame n of channel c. */
using Channels = std::vector<std::vector<float>>;

/**
 * Uniform noise in [-amplitude, amplitude): each sample is amplitude * (2 u - 1) with
 * u = mt19937(seed)() / 2^32, so a seed always gives the same samples.
 */
std::vector<float> makeNoise(std::size_t frames, double amplitude, unsigned seed);

/** Whether processChannels() calls processor.prepare() before processing. */
enum class PrepareFirst { Yes, No };

/**
 * Runs processor over a copy of input (and of key, when key is not empty, as the
 * sidechain input) and returns the output. splitSeed 0 processes the whole buffer in
 * one call; otherwise in blocks of random sizes 1 .. 1024 drawn from mt19937(splitSeed).
 * Each block's startFrame is its first frame's index. With PrepareFirst::Yes the
 * processor is first prepared for {sampleRateHz, maxBlockFrames, input channels}, where
 * maxBlockFrames is the whole length (splitSeed 0) or 1024; with PrepareFirst::No it
 * keeps its state from before (so a second run continues from the first).
 */
Channels processChannels(Processor& processor, double sampleRateHz, const Channels& input, const Channels& key = {},
                         unsigned splitSeed = 0, PrepareFirst prepareFirst = PrepareFirst::Yes);

/** Frames [first, first + count) of every channel. */
Channels framesOf(const Channels& channels, std::size_t first, std::size_t count);

/** count block sizes uniform in 1 .. maxBlockFrames, drawn from mt19937(seed). */
std::vector<int> randomBlockSizes(unsigned seed, int maxBlockFrames, std::size_t count = 97);

}  // namespace mixdown::test
