// The limiter against independent measurements: libebur128's true peak
// (EBUR128_MODE_TRUE_PEAK, 4x below 96 kHz, 2x below 192 kHz) of its output,
// exact sample peaks, exact delays, and the release curve's time constant.

#include "mixdown/dsp/limiter.h"

#include <doctest/doctest.h>
#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <tuple>
#include <vector>

#include "mixdown/dsp/automated_processor.h"
#include "support/test_signals.h"

using namespace mixdown;
using namespace mixdown::dsp;
using mixdown::test::amplitudeToDb;
using mixdown::test::dbToAmplitude;

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kToleranceDb = 0.05;  // the limiter's true-peak guarantee over the ceiling
using Channels = std::vector<std::vector<float>>;

/** A retarget(params, kAutomationStrideFrames) of the limiter as frame `frame` is the next to enter. */
struct Retarget {
  int frame = 0;
  LimiterProcessor::Params params;
};

/**
 * Runs the limiter over input followed by latencyFrames() of silence, in blocks of blockFrames (0: random
 * 1 .. 1024) that also end where a retarget (in frame order) is due.
 */
Channels limit(const Channels& input, const LimiterProcessor::Params& params, double sampleRate, int blockFrames = 1024,
               double* maxReductionDb = nullptr, const std::vector<Retarget>& retargets = {}) {
  LimiterProcessor limiter(params);
  const int channels = static_cast<int>(input.size());
  limiter.prepare({sampleRate, 1024, channels});
  const int frames = static_cast<int>(input[0].size()) + limiter.latencyFrames();
  AudioBuffer buffer(channels, frames);
  for (int channel = 0; channel < channels; ++channel)
    std::copy(input[static_cast<size_t>(channel)].begin(), input[static_cast<size_t>(channel)].end(),
              buffer.block(frames).channel(channel));
  std::mt19937 random(static_cast<unsigned>(frames));
  std::uniform_int_distribution<int> randomFrames(1, 1024);
  size_t due = 0;  // the next retarget
  for (int first = 0; first < frames;) {
    for (; due < retargets.size() && retargets[due].frame == first; ++due)
      limiter.retarget(retargets[due].params, kAutomationStrideFrames);
    int count = std::min(blockFrames > 0 ? blockFrames : randomFrames(random), frames - first);
    if (due < retargets.size()) count = std::min(count, retargets[due].frame - first);
    limiter.process(buffer.block(frames).slice(first, count), {}, first);
    first += count;
  }
  if (maxReductionDb != nullptr) *maxReductionDb = limiter.maxGainReductionDb();
  Channels output(input.size());
  for (int channel = 0; channel < channels; ++channel)
    output[static_cast<size_t>(channel)].assign(buffer.block(frames).channel(channel),
                                                buffer.block(frames).channel(channel) + frames);
  return output;
}

/** libebur128's true peak over all channels (linear), with the input flushed through its interpolator. */
double libebur128Peak(const Channels& input, double sampleRate) {
  const auto channels = static_cast<unsigned>(input.size());
  ebur128_state* state = ebur128_init(channels, static_cast<unsigned long>(sampleRate), EBUR128_MODE_TRUE_PEAK);
  REQUIRE(state != nullptr);
  const size_t frames = input[0].size() + 256;
  std::vector<float> interleaved(frames * channels, 0.0f);
  for (size_t frame = 0; frame < input[0].size(); ++frame)
    for (unsigned channel = 0; channel < channels; ++channel) interleaved[frame * channels + channel] = input[channel][frame];
  ebur128_add_frames_float(state, interleaved.data(), frames);
  double peak = 0.0;
  for (unsigned channel = 0; channel < channels; ++channel) {
    double channelPeak = 0.0;
    ebur128_true_peak(state, channel, &channelPeak);
    peak = std::max(peak, channelPeak);
  }
  ebur128_destroy(&state);
  return peak;
}

double samplePeak(const Channels& input) {
  double peak = 0.0;
  for (const auto& channel : input) peak = std::max(peak, mixdown::test::peakOf(channel));
  return peak;
}

Channels scaled(Channels input, double gainDb) {
  const auto gain = static_cast<float>(dbToAmplitude(gainDb));
  for (auto& channel : input)
    for (float& sample : channel) sample *= gain;
  return input;
}

/** amplitude sin(2 pi n / periodFrames + phase) with 256-frame raised-cosine fades (EBU Tech 3341 items 15 .. 19). */
std::vector<float> periodicSine(double periodFrames, double phaseDegrees, double amplitude, size_t frames) {
  std::vector<float> samples(frames);
  for (size_t n = 0; n < frames; ++n) {
    const double fade = std::min({1.0, static_cast<double>(n) / 256.0, static_cast<double>(frames - 1 - n) / 256.0});
    samples[n] = static_cast<float>((0.5 - 0.5 * std::cos(kPi * fade)) * amplitude *
                                    std::sin(2.0 * kPi * static_cast<double>(n) / periodFrames + phaseDegrees * kPi / 180.0));
  }
  return samples;
}

/** Adds amplitude sinc(0.9 (t - peakFrame)) under a +-64-frame Kaiser window (beta 8): true peak amplitude at peakFrame. */
void addClick(std::vector<float>& samples, double peakFrame, double amplitude) {
  const auto besselI0 = [](double x) {
    double term = 1.0, sum = 1.0;
    for (int k = 1; k < 60; ++k) sum += (term *= x * x / (4.0 * k * k));
    return sum;
  };
  for (int n = static_cast<int>(peakFrame) - 64; n <= static_cast<int>(peakFrame) + 64; ++n) {
    const double t = n - peakFrame;
    if (std::abs(t) >= 64.0) continue;
    const double sinc = t == 0.0 ? 1.0 : std::sin(0.9 * kPi * t) / (0.9 * kPi * t);
    samples[static_cast<size_t>(n)] +=
        static_cast<float>(amplitude * sinc * besselI0(8.0 * std::sqrt(1.0 - t * t / 4096.0)) / besselI0(8.0));
  }
}

/** Exponential sine sweep from 20 Hz to fs / 2, amplitude 1: phase 2 pi f0 T / ln(k) (k^(t / T) - 1), k = f1 / f0. */
std::vector<float> sweep(double sampleRate, double seconds) {
  const auto frames = static_cast<size_t>(seconds * sampleRate);
  const double ratio = sampleRate / 2.0 / 20.0;
  std::vector<float> samples(frames);
  for (size_t n = 0; n < frames; ++n) {
    const double t = static_cast<double>(n) / sampleRate;
    samples[n] = static_cast<float>(std::sin(2.0 * kPi * 20.0 * seconds / std::log(ratio) * (std::pow(ratio, t / seconds) - 1.0)));
  }
  return samples;
}

/** A dense stereo mix peaking at 0 dBFS: bass, chord, lead and hat tones, kicks every 0.5 s, noise bursts every 0.25 s. */
Channels denseMix(double sampleRate, double seconds, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  const auto frames = static_cast<size_t>(seconds * sampleRate);
  Channels mix(2, std::vector<float>(frames));
  for (size_t n = 0; n < frames; ++n) {
    const double t = static_cast<double>(n) / sampleRate;
    const double tones = 0.3 * std::sin(2 * kPi * 55 * t) + 0.12 * std::sin(2 * kPi * 220 * t + 1) +
                         0.1 * std::sin(2 * kPi * 277.2 * t) + 0.1 * std::sin(2 * kPi * 329.6 * t + 2) +
                         0.08 * std::sin(2 * kPi * 3520 * t) + 0.04 * std::sin(2 * kPi * 12000 * t);
    const double beat = std::fmod(t, 0.5);
    const double kick = 0.9 * std::exp(-beat * 12) * std::sin(2 * kPi * (45 * beat + 6 * (1 - std::exp(-beat * 30)))) ;
    const double burst = std::fmod(t, 0.25) < 0.04 ? 0.35 * noise(random) * std::exp(-std::fmod(t, 0.25) * 60) : 0.0;
    const double air = 0.02 * noise(random);
    mix[0][n] = static_cast<float>(tones + kick + burst + air);
    mix[1][n] = static_cast<float>(0.8 * tones + kick - 0.7 * burst + 0.02 * noise(random));
  }
  return scaled(mix, -amplitudeToDb(samplePeak(mix)));
}

/** Checks the output's true peak (libebur128) is at most ceiling + tolerance. */
void checkTruePeak(const Channels& input, double sampleRate, LimiterProcessor::Params params) {
  const Channels output = limit(input, params, sampleRate);
  const double overDb = amplitudeToDb(libebur128Peak(output, sampleRate)) - params.ceilingDb;
  CHECK(overDb <= kToleranceDb);
}

}  // namespace

TEST_CASE("dsp: limiter keeps EBU true-peak items, clicks and a full-scale sweep under the ceiling") {
  const double sampleRate = 48000.0;
  std::vector<std::vector<float>> signals;
  // Tech 3341 items 15 .. 19: (period, phase, amplitude), -6.0 dBTP four times and +3.0 dBTP.
  for (const auto& [period, phase, amplitude] : {std::tuple{4.0, 0.0, 0.5}, std::tuple{4.0, 45.0, 0.5},
                                                 std::tuple{6.0, 60.0, 0.5}, std::tuple{8.0, 67.5, 0.5},
                                                 std::tuple{4.0, 45.0, 1.41}}) {
    signals.push_back(periodicSine(period, phase, amplitude, 48000));
    signals.push_back(periodicSine(period, phase, amplitude * 4.0, 48000));  // +12 dB
  }
  // Isolated inter-sample peaks at 0 dBTP and +12 dBTP, a quarter frame apart.
  std::vector<float> clicks(48000, 0.0f);
  for (int index = 0; index < 8; ++index) addClick(clicks, 2000.0 + 5000.0 * index + 0.25 * (index % 4), index < 4 ? 1.0 : 4.0);
  signals.push_back(clicks);
  // Single-sample impulses and sample pairs (the pair's crest lies between the two samples).
  std::vector<float> impulses(48000, 0.0f);
  impulses[3000] = 1.0f;
  impulses[9000] = -1.0f;
  impulses[15000] = 10.0f;
  impulses[21000] = impulses[21001] = 1.0f;
  impulses[27000] = impulses[27001] = -10.0f;
  impulses[33000] = 1.0f;
  impulses[33001] = -1.0f;
  impulses[33002] = 1.0f;
  signals.push_back(impulses);
  signals.push_back(sweep(sampleRate, 3.0));
  signals.push_back(scaled({sweep(sampleRate, 3.0)}, 20.0)[0]);

  for (const double ceilingDb : {-1.0, -0.1, -3.0}) {
    for (size_t index = 0; index < signals.size(); ++index) {
      CAPTURE(ceilingDb);
      CAPTURE(index);
      checkTruePeak({signals[index]}, sampleRate, {ceilingDb, true, 1.5, 50.0});
    }
  }
}

TEST_CASE("dsp: limiter holds square waves driven +20 dB under the ceiling") {
  for (const double sampleRate : {44100.0, 48000.0}) {
    Channels squares(2, std::vector<float>(static_cast<size_t>(sampleRate)));
    for (size_t n = 0; n < squares[0].size(); ++n) {
      squares[0][n] = (n / 37) % 2 ? 10.0f : -10.0f;  // full scale +20 dB, period 74 frames
      squares[1][n] = (n / 5) % 2 ? 10.0f : -10.0f;   // period 10 frames
    }
    for (const double ceilingDb : {-1.0, -0.1}) checkTruePeak(squares, sampleRate, {ceilingDb, true, 1.5, 50.0});
  }
}

TEST_CASE("dsp: limiter holds a driven dense mix under the ceiling") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    const Channels mix = denseMix(sampleRate, 2.0, 12);
    for (const double driveDb : {12.0, 20.0}) {
      CAPTURE(sampleRate);
      CAPTURE(driveDb);
      const Channels driven = scaled(mix, driveDb);
      for (const double lookaheadMs : {0.0, 1.5, 5.0}) checkTruePeak(driven, sampleRate, {-1.0, true, lookaheadMs, 50.0});
      checkTruePeak(driven, sampleRate, {-0.1, true, 1.5, 200.0});
      // Sample peaks: exact, the comparison is in double against 10^(ceiling / 20).
      for (const double ceilingDb : {-1.0, -0.1, -6.0})
        CHECK(samplePeak(limit(driven, {ceilingDb, false, 1.5, 50.0}, sampleRate)) <= dbToAmplitude(ceilingDb));
    }
  }
}

TEST_CASE("dsp: limiter passes audio 6 dB under the ceiling unchanged but for its latency") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    for (const bool truePeak : {true, false}) {
      for (const int channels : {1, 2}) {
        CAPTURE(sampleRate);
        CAPTURE(truePeak);
        Channels input = denseMix(sampleRate, 1.0, 7);
        input.resize(static_cast<size_t>(channels));
        input = scaled(input, -1.0 - 6.0 - amplitudeToDb(libebur128Peak(input, sampleRate)));
        LimiterProcessor probe({-1.0, truePeak, 1.5, 50.0});
        probe.prepare({sampleRate, 1024, channels});
        const auto latency = static_cast<size_t>(probe.latencyFrames());
        double reductionDb = -1.0;
        const Channels output = limit(input, {-1.0, truePeak, 1.5, 50.0}, sampleRate, 0, &reductionDb);
        CHECK(reductionDb == 0.0);
        for (size_t channel = 0; channel < input.size(); ++channel) {
          CHECK(std::all_of(output[channel].begin(), output[channel].begin() + static_cast<std::ptrdiff_t>(latency),
                            [](float sample) { return sample == 0.0f; }));
          CHECK(std::equal(input[channel].begin(), input[channel].end(),
                           output[channel].begin() + static_cast<std::ptrdiff_t>(latency)));
        }
      }
    }
  }
}

TEST_CASE("dsp: limiter latency is the lookahead plus the true-peak interpolator delay") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0, 192000.0}) {
    int interpolatorDelay = -1;
    for (const double lookaheadMs : {0.0, 1.5, 5.0, 20.0}) {
      CAPTURE(sampleRate);
      CAPTURE(lookaheadMs);
      const int lookaheadFrames = static_cast<int>(std::lround(lookaheadMs * sampleRate / 1000.0));
      LimiterProcessor samplePeaks({-1.0, false, lookaheadMs, 50.0}), truePeaks({-1.0, true, lookaheadMs, 50.0});
      samplePeaks.prepare({sampleRate, 512, 2});
      truePeaks.prepare({sampleRate, 512, 2});
      CHECK(samplePeaks.latencyFrames() == lookaheadFrames);
      if (interpolatorDelay < 0) interpolatorDelay = truePeaks.latencyFrames() - lookaheadFrames;
      CHECK(interpolatorDelay > 0);
      CHECK(truePeaks.latencyFrames() == lookaheadFrames + interpolatorDelay);
    }
  }
}

TEST_CASE("dsp: limiter recovers with the release time constant") {
  // A steady 0.05 (-26 dBFS) with one +6 dBFS sample: after the hold and the smoothing ramps, the
  // reduction in dB must decay as exp(-t / release).
  const double sampleRate = 48000.0;
  for (const bool truePeak : {true, false}) {
    for (const double releaseMs : {50.0, 200.0}) {
      CAPTURE(truePeak);
      CAPTURE(releaseMs);
      const auto frames = static_cast<size_t>(sampleRate * 30.0 * releaseMs / 1000.0) + 10000;
      std::vector<float> input(frames, 0.05f);
      input[4800] = 2.0f;
      const LimiterProcessor::Params params{-1.0, truePeak, 1.5, releaseMs};
      double reductionDb = 0.0;
      const std::vector<float> output = limit({input}, params, sampleRate, 1024, &reductionDb)[0];
      const size_t latency = output.size() - frames;
      const auto reductionAt = [&](size_t frame) { return -amplitudeToDb(output[frame + latency] / 0.05); };
      CHECK(reductionDb >= amplitudeToDb(2.0) + 1.0 - 1e-6);  // 20 log10(2 / 10^(-1 / 20))

      // Least-squares slope of ln(reduction) from 2 lookaheads + 1 ms after the over, down to 1 % of it.
      const size_t start = 4800 + 2 * 72 + 48;
      const double startReduction = reductionAt(start);
      double sumT = 0.0, sumY = 0.0, sumTT = 0.0, sumTY = 0.0, count = 0.0;
      for (size_t frame = start; frame < frames && reductionAt(frame) > 0.01 * startReduction; ++frame) {
        const double t = static_cast<double>(frame - start) / sampleRate, y = std::log(reductionAt(frame));
        sumT += t, sumY += y, sumTT += t * t, sumTY += t * y, count += 1.0;
      }
      REQUIRE(count > 100.0);
      const double slope = (count * sumTY - sumT * sumY) / (count * sumTT - sumT * sumT);
      CHECK(-1.0 / slope == doctest::Approx(releaseMs / 1000.0).epsilon(0.01));  // asked: 10 %
      // The release ends at exactly unity gain: the input comes through bit for bit again.
      CHECK(output[frames - 1 + latency] == 0.05f);
    }
  }
}

TEST_CASE("dsp: limiter links the channels and reports the largest gain reduction") {
  // Sample-peak mode on a sine whose crest lands on a sample (period 48 frames, phase 90 degrees):
  // 6 dB over the ceiling needs exactly 6 dB of reduction, applied to both channels alike.
  const double sampleRate = 48000.0;
  const double amplitude = dbToAmplitude(-1.0 + 6.0);
  Channels input(2);
  input[0] = periodicSine(48.0, 90.0, amplitude, 24000);  // faded in and out, so it does not ring
  input[1] = mixdown::test::makeSine(1000.0, sampleRate, 24000, 0.01, 0.3);
  double reductionDb = 0.0;
  const Channels output = limit(input, {-1.0, false, 1.5, 50.0}, sampleRate, 1024, &reductionDb);
  CHECK(reductionDb == doctest::Approx(6.0).epsilon(1e-4));
  const size_t latency = output[0].size() - input[0].size();
  for (size_t frame = 0; frame < input[0].size(); frame += 7) {
    if (std::abs(input[0][frame]) < 0.1f || std::abs(input[1][frame]) < 0.001f) continue;
    const double leftGain = output[0][frame + latency] / static_cast<double>(input[0][frame]);
    const double rightGain = output[1][frame + latency] / static_cast<double>(input[1][frame]);
    CHECK(rightGain == doctest::Approx(leftGain).epsilon(1e-5));
  }
  double trueReductionDb = 0.0;
  limit(input, {-1.0, true, 1.5, 50.0}, sampleRate, 1024, &trueReductionDb);
  CHECK(trueReductionDb >= 6.0);
  CHECK(trueReductionDb <= 6.1);
}

TEST_CASE("dsp: limiter output does not depend on block sizes and reset repeats it") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    const Channels input = scaled(denseMix(sampleRate, 1.0, 3), 12.0);
    for (const bool truePeak : {true, false}) {
      CAPTURE(sampleRate);
      CAPTURE(truePeak);
      const LimiterProcessor::Params params{-1.0, truePeak, 1.5, 50.0};
      double wholeReduction = 0.0, splitReduction = 0.0;
      const Channels whole = limit(input, params, sampleRate, 1024, &wholeReduction);
      CHECK(whole == limit(input, params, sampleRate, 0, &splitReduction));
      CHECK(wholeReduction == splitReduction);

      LimiterProcessor limiter(params);
      limiter.prepare({sampleRate, 1024, 2});
      const int frames = static_cast<int>(input[0].size());
      std::vector<Channels> runs;
      for (int run = 0; run < 2; ++run) {
        AudioBuffer buffer(2, frames);
        for (int channel = 0; channel < 2; ++channel)
          std::copy(input[static_cast<size_t>(channel)].begin(), input[static_cast<size_t>(channel)].end(),
                    buffer.block(frames).channel(channel));
        for (int first = 0; first < frames; first += 1024)
          limiter.process(buffer.block(frames).slice(first, std::min(1024, frames - first)), {}, first);
        runs.push_back({std::vector<float>(buffer.block(frames).channel(0), buffer.block(frames).channel(0) + frames),
                        std::vector<float>(buffer.block(frames).channel(1), buffer.block(frames).channel(1) + frames)});
        CHECK(limiter.maxGainReductionDb() == wholeReduction);
        limiter.reset();
        CHECK(limiter.maxGainReductionDb() == 0.0);
      }
      CHECK(runs[0] == runs[1]);
    }
  }
}

TEST_CASE("dsp: limiter leaves no subnormal samples after loud audio and 10 s of silence") {
  volatile float smallest = 1e-30f;
  REQUIRE(smallest * 1e-10f != 0.0f);  // flush-to-zero is off: subnormals would show
  const double sampleRate = 44100.0;
  for (const bool truePeak : {true, false}) {
    Channels input = scaled(denseMix(sampleRate, 1.0, 9), 20.0);
    for (auto& channel : input) channel.resize(static_cast<size_t>(11.0 * sampleRate), 0.0f);
    const Channels output = limit(input, {-1.0, truePeak, 1.5, 1000.0}, sampleRate);
    for (const auto& channel : output) {
      CHECK(std::none_of(channel.begin(), channel.end(),
                         [](float sample) { return std::fpclassify(sample) == FP_SUBNORMAL; }));
      CHECK(channel.back() == 0.0f);
    }
  }
}

namespace {

/** Frames [first, end) of every channel, faded in over 64 frames so a meter sees no step at the cut. */
Channels fadedTail(const Channels& channels, size_t first) {
  Channels tail;
  for (const auto& channel : channels) {
    tail.emplace_back(channel.begin() + static_cast<std::ptrdiff_t>(first), channel.end());
    for (size_t n = 0; n < 64; ++n)
      tail.back()[n] *= static_cast<float>(0.5 - 0.5 * std::cos(kPi * static_cast<double>(n) / 64.0));
  }
  return tail;
}

double samplePeakOver(const Channels& channels, size_t first, size_t last) {
  double peak = 0.0;
  for (const auto& channel : channels)
    for (size_t n = first; n < last; ++n) peak = std::max(peak, static_cast<double>(std::abs(channel[n])));
  return peak;
}

}  // namespace

TEST_CASE("dsp: limiter retargeted to its own params after prepare renders bit for bit as before") {
  const double sampleRate = 48000.0;
  const Channels input = scaled(denseMix(sampleRate, 1.0, 4), 12.0);
  for (const bool truePeak : {true, false})
    for (const int blockFrames : {1024, 0}) {
      CAPTURE(truePeak);
      const LimiterProcessor::Params params{-1.0, truePeak, 1.5, 50.0};
      const Channels plain = limit(input, params, sampleRate, blockFrames);
      CHECK(limit(input, params, sampleRate, blockFrames, nullptr, {{0, params}}) == plain);
    }
}

TEST_CASE("dsp: limiter ceiling moved from -1 to -6 dB bounds every frame entering from then on") {
  const double sampleRate = 48000.0;
  const Channels input = scaled(denseMix(sampleRate, 2.0, 5), 12.0);
  const int change = 48000;
  for (const bool truePeak : {true, false}) {
    CAPTURE(truePeak);
    const LimiterProcessor::Params params{-1.0, truePeak, 1.5, 50.0}, lowered{-6.0, truePeak, 1.5, 50.0};
    LimiterProcessor probe(params);
    probe.prepare({sampleRate, 1024, 2});
    const auto latency = static_cast<size_t>(probe.latencyFrames());
    const Channels output = limit(input, params, sampleRate, 0, nullptr, {{change, lowered}});
    const auto changed = static_cast<size_t>(change) + latency;  // the first output frame that entered at -6 dB
    const double beforeDb = amplitudeToDb(samplePeakOver(output, 0, changed));
    const double justBeforeDb = amplitudeToDb(samplePeakOver(output, changed - 4800, changed));
    const double afterDb = amplitudeToDb(samplePeakOver(output, changed, output[0].size()));
    INFO("sample peaks: before " << beforeDb << " dBFS (last 0.1 s " << justBeforeDb << "), after " << afterDb << " dBFS");
    CHECK(beforeDb <= -1.0);
    CHECK(justBeforeDb > -3.0);  // frames that entered earlier keep the old ceiling: no clipping down to the new one
    CHECK(samplePeakOver(output, changed, output[0].size()) <= dbToAmplitude(-6.0));
    if (truePeak) {
      const double trueAfterDb = amplitudeToDb(libebur128Peak(fadedTail(output, changed), sampleRate));
      INFO("true peak after: " << trueAfterDb << " dBTP");
      CHECK(trueAfterDb <= -6.0 + kToleranceDb);
    }
    // Settled, it renders what a limiter prepared at -6 dB renders, bit for bit.
    const Channels fresh = limit(input, lowered, sampleRate);
    for (size_t channel = 0; channel < 2; ++channel)
      CHECK(std::equal(output[channel].end() - 24000, output[channel].end(), fresh[channel].end() - 24000));
  }
}

TEST_CASE("dsp: limiter keeps each output sample under the ceiling its frame entered with while the ceiling moves") {
  // The ceiling falls from -1 to -10 dB in 32-frame steps over 0.5 s, then rises back to -2 dB.
  const double sampleRate = 48000.0;
  const Channels input = scaled(denseMix(sampleRate, 2.0, 6), 12.0);
  const auto ceilingAt = [](int frame) {
    const double t = frame / 48000.0;
    return t < 0.5 ? -1.0 : t < 1.0 ? -1.0 - 18.0 * (t - 0.5) : std::min(-10.0 + 16.0 * (t - 1.0), -2.0);
  };
  for (const bool truePeak : {true, false}) {
    CAPTURE(truePeak);
    const LimiterProcessor::Params params{-1.0, truePeak, 1.5, 50.0};
    std::vector<Retarget> retargets;
    for (int frame = 0; frame < static_cast<int>(input[0].size()); frame += kAutomationStrideFrames)
      retargets.push_back({frame, {ceilingAt(frame), truePeak, 1.5, 50.0}});
    LimiterProcessor probe(params);
    probe.prepare({sampleRate, 1024, 2});
    const auto latency = static_cast<size_t>(probe.latencyFrames());
    const Channels output = limit(input, params, sampleRate, 0, nullptr, retargets);
    double worstOverDb = -100.0;
    for (size_t n = latency; n < output[0].size(); ++n) {
      const int entered = static_cast<int>(n - latency);
      const double ceilingDb = ceilingAt(entered - entered % kAutomationStrideFrames);
      worstOverDb = std::max(worstOverDb, amplitudeToDb(samplePeakOver(output, n, n + 1)) - ceilingDb);
    }
    INFO("largest sample peak over the frame's ceiling: " << worstOverDb << " dB");
    CHECK(worstOverDb <= 0.0);
    if (truePeak) {  // the last 0.5 s at -2 dB
      const double trueTailDb = amplitudeToDb(libebur128Peak(fadedTail(output, output[0].size() - 24000), sampleRate));
      INFO("true peak of the last 0.5 s: " << trueTailDb << " dBTP");
      CHECK(trueTailDb <= -2.0 + kToleranceDb);
    }
    // The retargeted output depends only on frames, not on the block split.
    CHECK(output == limit(input, params, sampleRate, 1024, nullptr, retargets));
  }
}

TEST_CASE("dsp: limiter automated output does not depend on block sizes and reset repeats it") {
  const double sampleRate = 44100.0;
  const Channels input = scaled(denseMix(sampleRate, 1.0, 8), 12.0);
  using Automated = AutomatedProcessor<LimiterProcessor>;
  using Params = LimiterProcessor::Params;
  for (const bool truePeak : {true, false}) {
    CAPTURE(truePeak);
    const auto automated = [truePeak] {
      std::vector<Automated::Parameter> parameters;
      parameters.push_back({{{0.0, -1.0}, {0.4, -9.0}, {0.8, -3.0}}, CurveShape::Linear,
                       [](Params& p, double v) { p.ceilingDb = v; }});
      parameters.push_back({{{0.0, 20.0}, {0.5, 400.0}}, CurveShape::Step, [](Params& p, double v) { p.releaseMs = v; }});
      return Automated(std::make_unique<LimiterProcessor>(Params{-1.0, truePeak, 1.5, 50.0}), std::move(parameters));
    };
    const auto run = [&](Processor& limiter, int blockFrames, bool prepare) {
      const int frames = static_cast<int>(input[0].size());
      if (prepare) limiter.prepare({sampleRate, 1024, 2});
      AudioBuffer buffer(2, frames);
      for (int channel = 0; channel < 2; ++channel)
        std::copy(input[static_cast<size_t>(channel)].begin(), input[static_cast<size_t>(channel)].end(),
                  buffer.block(frames).channel(channel));
      std::mt19937 random(static_cast<unsigned>(blockFrames + 1));
      std::uniform_int_distribution<int> randomFrames(1, 1024);
      for (int first = 0; first < frames;) {
        const int count = std::min(blockFrames > 0 ? blockFrames : randomFrames(random), frames - first);
        limiter.process(buffer.block(frames).slice(first, count), {}, first);
        first += count;
      }
      return Channels{std::vector<float>(buffer.block(frames).channel(0), buffer.block(frames).channel(0) + frames),
                      std::vector<float>(buffer.block(frames).channel(1), buffer.block(frames).channel(1) + frames)};
    };
    Automated whole = automated(), split = automated();
    const Channels expected = run(whole, 1024, true);
    CHECK(run(split, 0, true) == expected);
    split.reset();
    CHECK(run(split, 7, false) == expected);
    LimiterProcessor still({-1.0, truePeak, 1.5, 50.0});
    CHECK(run(still, 1024, true) != expected);  // the automation moved something
  }
}
