// The gate and downward expander against their static curves (computed here),
// their documented time constants and hold, and their key input.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "mixdown/dsp/automated_processor.h"
#include "mixdown/dsp/biquad.h"
#include "mixdown/dsp/gate.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

using namespace mixdown;
using namespace mixdown::dsp;
using namespace mixdown::test;

namespace {

/** 20 log10 of the RMS ratio out / in over frames [first, first + count). */
double gainDbOver(const std::vector<float>& in, const std::vector<float>& out, std::size_t first, std::size_t count) {
  double sumIn = 0.0, sumOut = 0.0;
  for (std::size_t n = first; n < first + count; ++n) {
    sumIn += static_cast<double>(in[n]) * in[n];
    sumOut += static_cast<double>(out[n]) * out[n];
  }
  return 10.0 * std::log10(sumOut / sumIn);
}

/** First frame at or after `from` whose gain out / in (dB) satisfies the predicate, or in.size(). */
template <typename Predicate>
std::size_t firstFrame(const std::vector<float>& in, const std::vector<float>& out, std::size_t from, Predicate predicate) {
  for (std::size_t n = from; n < in.size(); ++n)
    if (predicate(amplitudeToDb(std::abs(static_cast<double>(out[n]) / in[n])))) return n;
  return in.size();
}

}  // namespace

TEST_CASE("dsp: gate passes a burst above the threshold at unity and attenuates the bleed by its range") {
  for (const double rangeDb : {-80.0, -40.0}) {
    const double sampleRate = 48000.0;
    GateProcessor::Params params;
    params.thresholdDb = -40.0, params.rangeDb = rangeDb, params.ratio = 0.0;
    params.attackMs = 1.0, params.holdMs = 10.0, params.releaseMs = 50.0;
    // Bleed at -60 dBFS for 0.5 s, a burst at -10 dBFS for 0.5 s, bleed for 1 s (1 kHz).
    const std::size_t segment = 24000;
    std::vector<float> input = makeSine(1000.0, sampleRate, 4 * segment);
    for (std::size_t n = 0; n < input.size(); ++n)
      input[n] *= static_cast<float>(dbToAmplitude(n >= segment && n < 2 * segment ? -10.0 : -60.0));
    GateProcessor gate(params);
    const Channels output = processChannels(gate, sampleRate, {input});
    CHECK(gainDbOver(input, output[0], 0, segment) == doctest::Approx(rangeDb).epsilon(1e-5));
    for (std::size_t n = segment + 2400; n < 2 * segment; ++n) REQUIRE(output[0][n] == input[n]);
    CHECK(gainDbOver(input, output[0], 3 * segment, segment) == doctest::Approx(rangeDb).epsilon(1e-4));
    const Processor& processor = gate;  // the report reads the largest attenuation through the interface
    CHECK(processor.gainReductionMeter() != nullptr);
    CHECK(processor.gainReductionMeter()->maxGainReductionDb() == -rangeDb);
  }
}

TEST_CASE("dsp: gate as a downward expander follows (ratio - 1) dB per dB under the threshold, floored at its range") {
  const double sampleRate = 48000.0, threshold = -40.0, range = -60.0;
  for (const double ratio : {2.0, 4.0})
    for (const double level : {-30.0, -40.0, -45.0, -50.0, -60.0, -70.0}) {
      GateProcessor::Params params;
      params.thresholdDb = threshold, params.rangeDb = range, params.ratio = ratio;
      params.attackMs = 1.0, params.holdMs = 10.0, params.releaseMs = 20.0;
      const std::size_t frames = 48000;
      const std::vector<float> input = makeSine(1000.0, sampleRate, frames, dbToAmplitude(level));
      GateProcessor gate(params);
      const Channels output = processChannels(gate, sampleRate, {input});
      // Output level T + R (x - T) below the threshold, i.e. a gain of (R - 1)(x - T), at least range.
      const double expectedDb = level >= threshold ? 0.0 : std::max((ratio - 1.0) * (level - threshold), range);
      CHECK(std::abs(gainDbOver(input, output[0], frames / 2, frames / 2) - expectedDb) < 0.05);
    }
}

TEST_CASE("dsp: gate opens in attackMs, holds for holdMs, then closes in releaseMs") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    GateProcessor::Params params;
    params.thresholdDb = -40.0, params.rangeDb = -80.0, params.attackMs = 2.0, params.holdMs = 20.0;
    params.releaseMs = 50.0;
    // A constant -60 dBFS, 0.2 s at -6 dBFS, then -60 dBFS again: the gain is out / in at every frame.
    const auto onset = static_cast<std::size_t>(0.1 * sampleRate), end = onset + static_cast<std::size_t>(0.2 * sampleRate);
    std::vector<float> input(end + static_cast<std::size_t>(0.5 * sampleRate), 0.001f);
    std::fill(input.begin() + static_cast<std::ptrdiff_t>(onset), input.begin() + static_cast<std::ptrdiff_t>(end), 0.5f);
    GateProcessor gate(params);
    const Channels output = processChannels(gate, sampleRate, {input}, {}, 3);
    const double covered = 1.0 - std::exp(-1.0);  // 63.2 % of the 80 dB change
    const std::size_t opened = firstFrame(input, output[0], onset, [&](double db) { return db >= -80.0 * (1.0 - covered); });
    CHECK(static_cast<double>(opened - onset + 1) / sampleRate == doctest::Approx(0.002).epsilon(0.1));
    const std::size_t closing = firstFrame(input, output[0], end, [](double db) { return db < 0.0; });
    const auto holdFrames = static_cast<double>(std::lround(0.020 * sampleRate));
    CHECK(std::abs(static_cast<double>(closing - end) - holdFrames) <= 1.0);
    const std::size_t closed = firstFrame(input, output[0], end, [&](double db) { return db <= -80.0 * covered; });
    CHECK(static_cast<double>(closed - closing + 1) / sampleRate == doctest::Approx(0.050).epsilon(0.1));
  }
}

TEST_CASE("dsp: gate key input opens and closes it, after the key highpass") {
  const double sampleRate = 48000.0;
  GateProcessor::Params params;
  params.thresholdDb = -40.0, params.rangeDb = -60.0, params.holdMs = 5.0, params.releaseMs = 20.0;
  const std::size_t segment = 24000;
  // The input alone (-20 dBFS) would open the gate; the key is silent, then a 0 dBFS burst, then silent.
  const std::vector<float> input = makeSine(1000.0, sampleRate, 3 * segment, 0.1);
  std::vector<float> key = makeSine(200.0, sampleRate, 3 * segment);
  for (std::size_t n = 0; n < key.size(); ++n)
    if (n < segment || n >= 2 * segment) key[n] = 0.0f;
  GateProcessor gate(params);
  const Channels output = processChannels(gate, sampleRate, {input}, {key});
  CHECK(gainDbOver(input, output[0], 0, segment) == doctest::Approx(-60.0).epsilon(1e-5));
  CHECK(std::abs(gainDbOver(input, output[0], segment + 4800, segment - 4800)) < 1e-6);
  CHECK(gainDbOver(input, output[0], 2 * segment + 12000, segment - 12000) == doctest::Approx(-60.0).epsilon(1e-4));

  // A 2 kHz key highpass takes a 50 Hz key (0 dBFS) below the threshold: the gate stays closed.
  params.keyHighpassHz = 2000.0;
  const double keyedLevel = amplitudeToDb(magnitudeAt(designRbj(BiquadShape::Highpass, 2000.0, kKeyHighpassQ, 0.0, sampleRate), 50.0, sampleRate));
  REQUIRE(keyedLevel < params.thresholdDb - 6.0);
  GateProcessor filtered(params);
  const Channels filteredOutput = processChannels(filtered, sampleRate, {input}, {makeSine(50.0, sampleRate, 3 * segment)});
  CHECK(gainDbOver(input, filteredOutput[0], segment, 2 * segment) == doctest::Approx(-60.0).epsilon(1e-4));
}

TEST_CASE("dsp: gate output is independent of the block split, with and without a key") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0})
    for (const bool keyed : {false, true})
      for (const double ratio : {0.0, 3.0}) {
        GateProcessor::Params params;
        params.thresholdDb = -20.0, params.rangeDb = -70.0, params.ratio = ratio, params.attackMs = 0.5;
        params.holdMs = 7.0, params.releaseMs = 30.0, params.keyHighpassHz = 150.0;
        const auto frames = static_cast<std::size_t>(0.6 * sampleRate);
        Channels input{makeNoise(frames, 0.5, 21), makeNoise(frames, 0.5, 22)};
        for (auto& channel : input)  // bursts of 20 ms every 60 ms
          for (std::size_t n = 0; n < frames; ++n)
            if ((n * 1000 / static_cast<std::size_t>(sampleRate)) % 60 > 20) channel[n] *= 0.02f;
        const Channels key = keyed ? Channels{input[1], makeNoise(frames, 0.2, 23)} : Channels{};
        GateProcessor whole(params), split(params);
        const Channels expected = processChannels(whole, sampleRate, input, key, 0);
        CHECK(processChannels(split, sampleRate, input, key, 24) == expected);
        split.reset();
        CHECK(processChannels(split, sampleRate, input, key, 25, PrepareFirst::No) == expected);
      }
}

TEST_CASE("dsp: gate outputs no subnormal after a loud passage and 10 s of silence") {
  const double sampleRate = 44100.0;
  GateProcessor::Params params;
  params.keyHighpassHz = 30.0, params.ratio = 2.0, params.rangeDb = -144.0;
  std::vector<float> input = makeNoise(static_cast<std::size_t>(11 * sampleRate), 1.0, 26);
  std::fill(input.begin() + static_cast<std::ptrdiff_t>(sampleRate), input.end(), 0.0f);
  GateProcessor gate(params);
  const Channels output = processChannels(gate, sampleRate, {input}, {input}, 27);
  CHECK(std::none_of(output[0].begin(), output[0].end(), [](float x) { return std::fpclassify(x) == FP_SUBNORMAL; }));
}

namespace {

/** Noise in bursts of 20 ms every 60 ms, 34 dB quieter between them. */
Channels burstyNoise(std::size_t frames, double sampleRate, unsigned seed) {
  Channels input{makeNoise(frames, 0.5, seed), makeNoise(frames, 0.5, seed + 1)};
  for (auto& channel : input)
    for (std::size_t n = 0; n < frames; ++n)
      if ((n * 1000 / static_cast<std::size_t>(sampleRate)) % 60 > 20) channel[n] *= 0.02f;
  return input;
}

}  // namespace

TEST_CASE("dsp: gate retargeted to its own params after prepare renders bit for bit as before") {
  const double sampleRate = 48000.0;
  const Channels input = burstyNoise(24000, sampleRate, 61);
  for (const double ratio : {0.0, 3.0})
    for (const unsigned splitSeed : {0u, 63u, 64u}) {
      GateProcessor::Params params;
      params.thresholdDb = -20.0, params.rangeDb = -70.0, params.ratio = ratio, params.attackMs = 0.5;
      params.holdMs = 7.0, params.releaseMs = 30.0, params.keyHighpassHz = 150.0;
      GateProcessor plain(params), retargeted(params);
      const Channels expected = processChannels(plain, sampleRate, input, {}, splitSeed);
      retargeted.prepare({sampleRate, 1024, 2});
      retargeted.retarget(retargeted.params(), 0);
      CHECK(processChannels(retargeted, sampleRate, input, {}, splitSeed, PrepareFirst::No) == expected);
    }
}

TEST_CASE("dsp: gate threshold, range and ratio retargeted settle where a gate prepared with them is") {
  const double sampleRate = 48000.0;
  const std::size_t frames = 48000, change = 12000;
  struct Case {
    double level, fromThreshold, toThreshold, fromRange, toRange, fromRatio, toRatio;
  };
  // Expander (R - 1)(x - T): -10 dB, then -5 dB; a closed gate's range: -80 dB, then -30 dB;
  // a gate (closed, -60 dB) that becomes a 1:3 expander: (3 - 1)(-45 + 40) = -10 dB.
  for (const Case& c : {Case{-30.0, -20.0, -25.0, -60.0, -60.0, 2.0, 2.0},
                        Case{-60.0, -40.0, -40.0, -80.0, -30.0, 0.0, 0.0},
                        Case{-45.0, -40.0, -40.0, -60.0, -60.0, 0.0, 3.0}}) {
    CAPTURE(c.level);
    GateProcessor::Params params;
    params.thresholdDb = c.fromThreshold, params.rangeDb = c.fromRange, params.ratio = c.fromRatio;
    params.attackMs = 1.0, params.holdMs = 10.0, params.releaseMs = 20.0;
    const Channels input{makeSine(1000.0, sampleRate, frames, dbToAmplitude(c.level))};
    GateProcessor gate(params);
    gate.prepare({sampleRate, 1024, 1});
    processChannels(gate, sampleRate, framesOf(input, 0, change), {}, 65, PrepareFirst::No);
    params.thresholdDb = c.toThreshold, params.rangeDb = c.toRange, params.ratio = c.toRatio;
    gate.retarget(params, kAutomationStrideFrames);
    const Channels after = processChannels(gate, sampleRate, framesOf(input, change, frames - change), {}, 66,
                                           PrepareFirst::No);
    const double expectedDb = c.level >= c.toThreshold ? 0.0
                              : c.toRatio == 0.0      ? c.toRange
                                                      : std::max((c.toRatio - 1.0) * (c.level - c.toThreshold), c.toRange);
    const double measuredDb = gainDbOver(framesOf(input, change, frames - change)[0], after[0], 24000, 12000);
    INFO("settled gain " << measuredDb << " dB, expected " << expectedDb << " dB");
    CHECK(std::abs(measuredDb - expectedDb) < 0.01);
    GateProcessor fresh(params);
    const Channels freshOutput = processChannels(fresh, sampleRate, input);
    CHECK(framesOf(after, frames - change - 12000, 12000) == framesOf(freshOutput, frames - 12000, 12000));
  }
}

TEST_CASE("dsp: gate automated output is independent of the block split, with and without a key") {
  const double sampleRate = 48000.0;
  const std::size_t frames = 36000;
  const Channels input = burstyNoise(frames, sampleRate, 67);
  using Automated = AutomatedProcessor<GateProcessor>;
  using Params = GateProcessor::Params;
  Params params;
  params.keyHighpassHz = 120.0;
  const auto automated = [&params] {
    std::vector<Automated::Parameter> parameters;
    parameters.push_back({{{0.0, -30.0}, {0.6, -10.0}}, CurveShape::Linear, [](Params& p, double v) { p.thresholdDb = v; }});
    parameters.push_back({{{0.0, -80.0}, {0.3, -20.0}}, CurveShape::Step, [](Params& p, double v) { p.rangeDb = v; }});
    parameters.push_back({{{0.2, 0.0}, {0.5, 4.0}}, CurveShape::Linear, [](Params& p, double v) { p.ratio = v; }});
    parameters.push_back({{{0.0, 2.0}, {0.7, 20.0}}, CurveShape::Linear, [](Params& p, double v) { p.holdMs = v; }});
    parameters.push_back({{{0.0, 100.0}, {0.5, 10.0}}, CurveShape::Smooth, [](Params& p, double v) { p.releaseMs = v; }});
    return Automated(std::make_unique<GateProcessor>(params), std::move(parameters));
  };
  for (const bool keyed : {false, true}) {
    const Channels key = keyed ? Channels{input[1], makeNoise(frames, 0.2, 69)} : Channels{};
    Automated whole = automated(), split = automated();
    const Channels expected = processChannels(whole, sampleRate, input, key, 0);
    CHECK(processChannels(split, sampleRate, input, key, 70) == expected);
    split.reset();
    CHECK(processChannels(split, sampleRate, input, key, 71, PrepareFirst::No) == expected);
    GateProcessor still(params);
    CHECK(processChannels(still, sampleRate, input, key, 0) != expected);  // the automation moved something
  }
}
