#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "mixdown/dsp/oversampler.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

using mixdown::AudioBlock;
using mixdown::dsp::Oversampler;
using mixdown::dsp::OversamplerSpec;
using namespace mixdown::test;

namespace {

constexpr int kMaxBlock = 512;
const double kRates[] = {44100.0, 48000.0, 96000.0};

/** A planar buffer: channel c is samples[c * frames .. (c + 1) * frames). */
struct Planar {
  int channels = 0;
  int frames = 0;
  std::vector<float> samples;
  Planar(int channelCount, int frameCount)
      : channels(channelCount), frames(frameCount), samples(static_cast<std::size_t>(channelCount * frameCount)) {}
  float* channel(int index) { return samples.data() + static_cast<std::ptrdiff_t>(index) * frames; }
  std::vector<float> channelVector(int index) { return {channel(index), channel(index) + frames}; }
  AudioBlock block(int first, int count) { return AudioBlock(samples.data() + first, channels, count, frames); }
};

Oversampler prepared(int factor, double sampleRate, int channels = 1) {
  OversamplerSpec spec;
  spec.factor = factor;
  spec.channels = channels;
  spec.maxBlockFrames = kMaxBlock;
  spec.sampleRate = sampleRate;
  Oversampler oversampler;
  oversampler.prepare(spec);
  return oversampler;
}

using HighRate = std::function<void(AudioBlock)>;

/** Runs io through upsample, highRate, downsample, in place, in blocks whose sizes cycle through blockSizes. */
void run(Oversampler& oversampler, Planar& io, const std::vector<int>& blockSizes, const HighRate& highRate) {
  std::size_t next = 0;
  for (int first = 0; first < io.frames;) {
    const int count = std::min(blockSizes[next++ % blockSizes.size()], io.frames - first);
    oversampler.process(io.block(first, count), highRate);
    first += count;
  }
}

void identity(AudioBlock) {}

/** "M0 M1 ..." of the stages, first to last. */
std::string halfLengths(const Oversampler& oversampler) {
  std::string lengths;
  for (const auto& stage : oversampler.stages()) lengths += std::to_string(stage.halfLength) + " ";
  return lengths;
}

Planar noise(int channels, int frames, unsigned seed) {
  Planar signal(channels, frames);
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  for (float& sample : signal.samples) sample = value(generator);
  return signal;
}

}  // namespace

TEST_CASE("dsp: oversampler at factor 1 is a pass-through with no latency") {
  Oversampler oversampler = prepared(1, 48000.0, 2);
  CHECK(oversampler.latencyFrames() == 0);
  const Planar input = noise(2, 3000, 1);
  Planar output = input;
  run(oversampler, output, randomBlockSizes(2, kMaxBlock), identity);
  CHECK(output.samples == input.samples);
}

TEST_CASE("dsp: oversampler latency is a whole number of frames and an impulse comes back centred on it") {
  for (const double rate : kRates) {
    for (const int factor : {2, 4, 8}) {
      Oversampler oversampler = prepared(factor, rate);
      const int latency = oversampler.latencyFrames();
      MESSAGE("rate " << rate << " Hz, factor " << factor << ": latency " << latency
                      << " frames, stage half lengths " << halfLengths(oversampler));
      constexpr int kImpulseFrame = 300;
      Planar io(1, 4096);
      io.channel(0)[kImpulseFrame] = 1.0f;
      std::vector<float> upsampled;
      run(oversampler, io, {256}, [&](AudioBlock high) {
        upsampled.insert(upsampled.end(), high.channel(0), high.channel(0) + high.frames());
      });
      const std::vector<float> output = io.channelVector(0);

      // The upsampled impulse peaks upsampleLatencyFrames() later, counted at the high rate.
      const auto highPeak = std::max_element(upsampled.begin(), upsampled.end());
      CHECK(static_cast<double>(highPeak - upsampled.begin()) ==
            (kImpulseFrame + oversampler.upsampleLatencyFrames()) * factor);

      const auto peak = std::max_element(output.begin(), output.end(),
                                         [](float a, float b) { return std::abs(a) < std::abs(b); });
      CHECK(peak - output.begin() == kImpulseFrame + latency);
      double sum = 0.0;
      double moment = 0.0;
      for (std::size_t n = 0; n < output.size(); ++n) {
        sum += output[n];
        moment += static_cast<double>(n) * output[n];
      }
      CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));  // DC gain 1
      CHECK(moment / sum == doctest::Approx(kImpulseFrame + latency).epsilon(1e-7));
      // Linear phase: the response is symmetric about its centre.
      double asymmetry = 0.0;
      for (int offset = 1; offset <= kImpulseFrame; ++offset) {
        asymmetry = std::max(asymmetry, std::abs(static_cast<double>(output[kImpulseFrame + latency + offset]) -
                                                 output[kImpulseFrame + latency - offset]));
      }
      CHECK(asymmetry < 1e-6);
    }
  }
}

TEST_CASE("dsp: oversampler passband is flat to 20 kHz within 0.1 dB and its images are 90 dB down") {
  for (const double rate : kRates) {
    for (const int factor : {2, 4, 8}) {
      double worstRoundTripDb = 0.0;
      double worstUpsampledDb = 0.0;
      double worstImageDb = -400.0;
      for (const double frequency : {20.0, 100.0, 1000.0, 5000.0, 10000.0, 15000.0, 18000.0, 19000.0, 20000.0}) {
        Oversampler oversampler = prepared(factor, rate);
        constexpr int kFrames = 8192;
        constexpr double kAmplitude = 0.5;
        const std::vector<float> sine = makeSine(frequency, rate, kFrames, kAmplitude);
        Planar io(1, kFrames);
        std::copy(sine.begin(), sine.end(), io.channel(0));
        std::vector<float> upsampled;
        run(oversampler, io, {kMaxBlock}, [&](AudioBlock high) {
          upsampled.insert(upsampled.end(), high.channel(0), high.channel(0) + high.frames());
        });
        // Skip the start-up transient: the filters span at most a few hundred frames.
        constexpr std::size_t kSettle = 2048;
        constexpr std::size_t kMeasure = 4096;
        const SineFit roundTrip = fitSine(io.channelVector(0), kSettle, kMeasure, frequency, rate);
        worstRoundTripDb = std::max(worstRoundTripDb, std::abs(amplitudeToDb(roundTrip.amplitude / kAmplitude)));
        const SineFit high = fitSine(upsampled, kSettle * static_cast<std::size_t>(factor),
                                     kMeasure * static_cast<std::size_t>(factor), frequency, rate * factor);
        worstUpsampledDb = std::max(worstUpsampledDb, std::abs(amplitudeToDb(high.amplitude / kAmplitude)));
        // What the fitted sine leaves is the images (and float rounding): as an
        // amplitude (RMS * sqrt 2) relative to the sine's.
        worstImageDb = std::max(worstImageDb, amplitudeToDb(high.residualRms * std::sqrt(2.0) / kAmplitude));
      }
      MESSAGE("rate " << rate << ", factor " << factor << ": passband deviation round trip " << worstRoundTripDb
                      << " dB, upsampled " << worstUpsampledDb << " dB; worst image " << worstImageDb << " dB");
      CHECK(worstRoundTripDb < 0.1);
      CHECK(worstUpsampledDb < 0.1);
      CHECK(worstImageDb < -90.0);
    }
  }
}

TEST_CASE("dsp: oversampler stopband keeps every alias of the audio band 90 dB down") {
  // A sine written straight into the high-rate block at f, anywhere from
  // sampleRate - 20 kHz (whose alias lands at 20 kHz) to the high rate's
  // Nyquist frequency, must leave the round trip at least 90 dB down.
  for (const double rate : kRates) {
    for (const int factor : {2, 4, 8}) {
      Oversampler oversampler = prepared(factor, rate);
      const double passband = std::min(20000.0, Oversampler::kMaxPassbandFraction * rate);
      const double lowest = rate - passband;
      const double highest = factor * rate / 2.0;
      double worstDb = -400.0;
      double worstFrequency = 0.0;
      constexpr int kPoints = 60;
      for (int point = 0; point <= kPoints; ++point) {
        const double frequency = lowest + (highest - lowest) * point / kPoints;
        oversampler.reset();
        Planar io(1, 6144);
        std::size_t highIndex = 0;
        const double radiansPerSample = 2.0 * std::numbers::pi * frequency / (rate * factor);
        run(oversampler, io, {kMaxBlock}, [&](AudioBlock high) {
          for (int frame = 0; frame < high.frames(); ++frame)
            high.channel(0)[frame] = static_cast<float>(std::sin(radiansPerSample * static_cast<double>(highIndex++)));
        });
        const std::vector<float> output = io.channelVector(0);
        const std::vector<float> steady(output.begin() + 2048, output.end());
        const double levelDb = amplitudeToDb(rmsOf(steady) * std::sqrt(2.0));
        if (levelDb > worstDb) {
          worstDb = levelDb;
          worstFrequency = frequency;
        }
      }
      MESSAGE("rate " << rate << ", factor " << factor << ": worst alias " << worstDb << " dB at " << worstFrequency
                      << " Hz (high rate)");
      CHECK(worstDb < -90.0);
    }
  }
}

TEST_CASE("dsp: oversampler stage designs meet their band edges") {
  for (const double rate : kRates) {
    Oversampler oversampler = prepared(8, rate);
    const double edge = std::min(20000.0 / rate, Oversampler::kMaxPassbandFraction);
    for (std::size_t index = 0; index < oversampler.stages().size(); ++index) {
      const auto& stage = oversampler.stages()[index];
      const double lowRate = static_cast<double>(1 << index);
      const double passband = (index == 0 ? edge : 1.0 - edge) / (2.0 * lowRate);  // fractions of the high rate
      const double stopband = 0.5 - passband;
      double ripple = 0.0;
      double leak = 0.0;
      for (int point = 0; point <= 400; ++point) {
        ripple = std::max(ripple, std::abs(amplitudeToDb(halfbandMagnitude(stage, passband * point / 400.0))));
        leak = std::max(leak, halfbandMagnitude(stage, stopband + (0.5 - stopband) * point / 400.0));
      }
      CHECK(ripple < 0.001);
      CHECK(amplitudeToDb(leak) < -90.0);
    }
  }
}

TEST_CASE("dsp: oversampler output equals random-block-split output bit for bit") {
  for (const double rate : kRates) {
    for (const int factor : {1, 2, 4, 8}) {
      const Planar input = noise(2, 5000, 7);
      const HighRate shaper = [](AudioBlock high) {
        for (int channel = 0; channel < high.channels(); ++channel)
          for (int frame = 0; frame < high.frames(); ++frame)
            high.channel(channel)[frame] = std::tanh(3.0f * high.channel(channel)[frame]);
      };
      Oversampler whole = prepared(factor, rate, 2);
      Planar wholeOutput = input;
      run(whole, wholeOutput, {kMaxBlock}, shaper);
      Oversampler split = prepared(factor, rate, 2);
      Planar splitOutput = input;
      const auto splitSeed = static_cast<unsigned>(factor * 31 + static_cast<int>(rate));
      run(split, splitOutput, randomBlockSizes(splitSeed, kMaxBlock), shaper);
      CHECK(wholeOutput.samples == splitOutput.samples);

      // reset() returns to the freshly prepared state.
      split.reset();
      Planar again = input;
      run(split, again, {kMaxBlock}, shaper);
      CHECK(again.samples == wholeOutput.samples);
    }
  }
}

TEST_CASE("dsp: oversampler states fall to exact zeros after the input stops") {
  for (const int factor : {2, 4, 8}) {
    Oversampler oversampler = prepared(factor, 48000.0);
    Planar io = noise(1, 4000, 3);
    std::fill(io.channel(0) + 1000, io.channel(0) + io.frames, 0.0f);
    bool subnormal = false;
    run(oversampler, io, {kMaxBlock}, [&](AudioBlock high) {
      for (int frame = 0; frame < high.frames(); ++frame)
        subnormal = subnormal || std::fpclassify(high.channel(0)[frame]) == FP_SUBNORMAL;
    });
    for (int frame = 0; frame < io.frames; ++frame)
      subnormal = subnormal || std::fpclassify(io.channel(0)[frame]) == FP_SUBNORMAL;
    CHECK_FALSE(subnormal);
    const int silentFrom = 1000 + 2 * oversampler.latencyFrames();  // the round trip spans 2 x latency
    CHECK(std::all_of(io.channel(0) + silentFrom, io.channel(0) + io.frames, [](float sample) { return sample == 0.0f; }));
  }
}

TEST_CASE("dsp: oversampler rejects a factor other than 1, 2, 4 or 8") {
  OversamplerSpec spec;
  spec.factor = 3;
  Oversampler oversampler;
  CHECK_THROWS_AS(oversampler.prepare(spec), std::invalid_argument);
}
