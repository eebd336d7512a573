// The compressor against the formulas of Giannoulis, Massberg and Reiss (JAES 2012)
// computed here, and against its documented time constants and latency.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "mixdown/dsp/automated_processor.h"
#include "mixdown/dsp/compressor.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

using namespace mixdown;
using namespace mixdown::dsp;
using namespace mixdown::test;

namespace {

/** GMR 2012 static characteristic: output level (dB) for input level x (dB). */
double gmrOutputDb(double x, double threshold, double ratio, double knee) {
  if (knee == 0.0) return x <= threshold ? x : threshold + (x - threshold) / ratio;
  if (2.0 * (x - threshold) < -knee) return x;
  if (2.0 * std::abs(x - threshold) <= knee)
    return x + (1.0 / ratio - 1.0) * (x - threshold + knee / 2.0) * (x - threshold + knee / 2.0) / (2.0 * knee);
  return threshold + (x - threshold) / ratio;
}

double rmsOver(const std::vector<float>& samples, std::size_t first, std::size_t count) {
  double sum = 0.0;
  for (std::size_t n = first; n < first + count; ++n) sum += static_cast<double>(samples[n]) * samples[n];
  return std::sqrt(sum / static_cast<double>(count));
}

/** Seconds from frame `from` until the gain out/in (dB, where |in| >= half its peak) first crosses targetDb. */
double crossingSeconds(const std::vector<float>& in, const std::vector<float>& out, std::size_t from, double peak,
                       double targetDb, bool falling, double sampleRate) {
  for (std::size_t n = from; n < in.size(); ++n) {
    if (std::abs(in[n]) < 0.5 * peak) continue;
    const double gainDb = amplitudeToDb(std::abs(static_cast<double>(out[n]) / in[n]));
    if (falling ? gainDb <= targetDb : gainDb >= targetDb) return static_cast<double>(n - from + 1) / sampleRate;
  }
  return -1.0;
}

}  // namespace

TEST_CASE("dsp: compressor static curve of steady sines matches GMR 2012 hard and soft knee") {
  const double threshold = -30.0, ratio = 4.0;
  double worst[2] = {0.0, 0.0};  // peak, RMS
  for (const double sampleRate : {44100.0, 48000.0})
    for (const double knee : {0.0, 12.0})
      for (const auto detector : {DetectorMode::Peak, DetectorMode::Rms}) {
        CompressorProcessor::Params params;
        params.thresholdDb = threshold, params.ratio = ratio, params.kneeDb = knee, params.detector = detector;
        params.attackMs = 5.0, params.releaseMs = 500.0;
        for (double level = -60.0; level <= 0.0; level += 2.0) {
          const auto frames = static_cast<std::size_t>(sampleRate);  // 1 s: settled after 0.75 s
          const Channels input{makeSine(1000.0, sampleRate, frames, dbToAmplitude(level))};
          CompressorProcessor compressor(params);
          const Channels output = processChannels(compressor, sampleRate, input);
          const std::size_t first = frames * 3 / 4, count = frames / 4;
          const double measuredDb = amplitudeToDb(rmsOver(output[0], first, count) / rmsOver(input[0], first, count));
          // The documented levels: peak reads the amplitude, RMS the mean square (-3.0103 dB for a sine).
          const double detected = detector == DetectorMode::Peak ? level : level - 10.0 * std::log10(2.0);
          const double expectedDb = gmrOutputDb(detected, threshold, ratio, knee) - detected;
          CHECK(std::abs(measuredDb - expectedDb) <= 0.1);
          double& worstOfDetector = worst[detector == DetectorMode::Peak ? 0 : 1];
          worstOfDetector = std::max(worstOfDetector, std::abs(measuredDb - expectedDb));
        }
      }
  INFO("worst static-curve error: peak " << worst[0] << " dB, RMS " << worst[1] << " dB");
  CHECK(std::max(worst[0], worst[1]) <= 0.1);
}

TEST_CASE("dsp: compressor step response meets the documented attack and release time constants") {
  double worst = 0.0;
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    CompressorProcessor::Params params;
    params.thresholdDb = -20.0, params.ratio = 4.0, params.attackMs = 10.0, params.releaseMs = 100.0;
    // A 1 kHz sine at -40 dBFS (no compression), 0 dBFS (15 dB of attenuation), -40 dBFS.
    const auto segment = static_cast<std::size_t>(0.5 * sampleRate);
    std::vector<float> input = makeSine(1000.0, sampleRate, 3 * segment);
    for (std::size_t n = 0; n < input.size(); ++n)
      if (n < segment || n >= 2 * segment) input[n] *= 0.01f;
    CompressorProcessor compressor(params);
    const Channels output = processChannels(compressor, sampleRate, {input});
    const double attenuation = (0.0 - params.thresholdDb) * (1.0 - 1.0 / params.ratio);
    const double covered = 1.0 - std::exp(-1.0);
    const double attack = crossingSeconds(input, output[0], segment, 1.0, -covered * attenuation, true, sampleRate);
    const double release = crossingSeconds(input, output[0], 2 * segment, 0.01, -(1.0 - covered) * attenuation,
                                           false, sampleRate);
    CHECK(attack == doctest::Approx(params.attackMs / 1000.0).epsilon(0.1));
    CHECK(release == doctest::Approx(params.releaseMs / 1000.0).epsilon(0.1));
    worst = std::max({worst, std::abs(attack * 1000.0 / params.attackMs - 1.0),
                      std::abs(release * 1000.0 / params.releaseMs - 1.0)});
  }
  INFO("worst step-timing error: " << 100.0 * worst << " %");
  CHECK(worst <= 0.1);
}

TEST_CASE("dsp: compressor level step of a constant signal follows exp(-t / tau) exactly") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    CompressorProcessor::Params params;
    params.thresholdDb = -20.0, params.ratio = 2.0, params.attackMs = 0.5, params.releaseMs = 20.0;
    const auto segment = static_cast<std::size_t>(0.2 * sampleRate);
    std::vector<float> input(2 * segment, 1.0f);  // 0 dBFS, then -40 dBFS
    for (std::size_t n = segment; n < input.size(); ++n) input[n] = 0.01f;
    CompressorProcessor compressor(params);
    const Channels output = processChannels(compressor, sampleRate, {input});
    const double attenuation = 20.0 * (1.0 - 1.0 / params.ratio);  // 10 dB
    for (const double milliseconds : {0.25, 0.5, 1.5}) {  // attack: 10 (1 - exp(-t / tau)) dB
      const auto n = static_cast<std::size_t>(std::lround(milliseconds * sampleRate / 1000.0));
      const double expected = attenuation * (1.0 - std::exp(-static_cast<double>(n + 1) * 1000.0 / (params.attackMs * sampleRate)));
      CHECK(-amplitudeToDb(output[0][n]) == doctest::Approx(expected).epsilon(1e-4));
    }
    for (const double milliseconds : {5.0, 20.0, 60.0}) {  // release: 10 exp(-t / tau) dB
      const auto n = static_cast<std::size_t>(std::lround(milliseconds * sampleRate / 1000.0));
      const double expected = attenuation * std::exp(-static_cast<double>(n + 1) * 1000.0 / (params.releaseMs * sampleRate));
      CHECK(-amplitudeToDb(output[0][segment + n] / 0.01) == doctest::Approx(expected).epsilon(1e-3));
    }
  }
}

TEST_CASE("dsp: compressor keyed below its threshold outputs its input delayed by latencyFrames") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    CompressorProcessor::Params params;
    params.thresholdDb = -20.0, params.lookaheadMs = 5.0, params.kneeDb = 6.0, params.keyHighpassHz = 80.0;
    const auto frames = static_cast<std::size_t>(sampleRate);
    const Channels input{makeNoise(frames, 1.0, 1), makeNoise(frames, 1.0, 2)};
    const Channels key{makeSine(1000.0, sampleRate, frames, dbToAmplitude(-30.0))};  // under T - W/2
    CompressorProcessor compressor(params);
    const Channels output = processChannels(compressor, sampleRate, input, key, 7);
    const auto latency = static_cast<std::size_t>(compressor.properties(2).latencyFrames);
    CHECK(latency == static_cast<std::size_t>(std::lround(0.005 * sampleRate)));
    double worst = 0.0;
    for (std::size_t c = 0; c < 2; ++c)
      for (std::size_t n = 0; n < frames; ++n)
        worst = std::max(worst, std::abs(output[c][n] - (n < latency ? 0.0 : input[c][n - latency])));
    CHECK(amplitudeToDb(worst) < -120.0);
    CHECK(compressor.maxGainReductionDb() == 0.0);
  }
}

TEST_CASE("dsp: compressor lookahead reports round(ms fs) and reduces the gain before the transient") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0})
    for (const double lookaheadMs : {1.5, 5.0}) {
      CompressorProcessor::Params params;
      params.thresholdDb = -20.0, params.attackMs = 1.0, params.lookaheadMs = lookaheadMs;
      const auto frames = static_cast<std::size_t>(0.5 * sampleRate), onset = frames / 2;
      std::vector<float> input = makeSine(1000.0, sampleRate, frames);
      for (std::size_t n = 0; n < onset; ++n) input[n] *= static_cast<float>(dbToAmplitude(-50.0));
      CompressorProcessor compressor(params);
      const Channels output = processChannels(compressor, sampleRate, {input});
      const auto latency = static_cast<std::size_t>(compressor.properties(2).latencyFrames);
      REQUIRE(latency == static_cast<std::size_t>(std::lround(lookaheadMs * sampleRate / 1000.0)));
      // The quiet part before the onset (in the output: before onset + latency) passes at 0 dB
      // until the key, which runs latency frames ahead, reaches the transient.
      const auto gainDbAt = [&](std::size_t n) { return amplitudeToDb(std::abs(output[0][n] / input[n - latency])); };
      std::size_t loudest = onset + latency - 1;
      for (std::size_t n = onset + latency - std::min<std::size_t>(latency, 20); n < onset + latency; ++n)
        if (std::abs(input[n - latency]) > std::abs(input[loudest - latency])) loudest = n;
      CHECK(std::abs(gainDbAt(onset - 10)) < 1e-6);
      CHECK(gainDbAt(loudest) < -1.0);
    }
}

TEST_CASE("dsp: compressor mix 0 equals the delayed input exactly and mix blends dry and compressed") {
  const double sampleRate = 48000.0;
  const std::size_t frames = 24000;
  const Channels input{makeNoise(frames, 1.0, 3), makeNoise(frames, 0.5, 4)};
  CompressorProcessor::Params params;
  params.thresholdDb = -30.0, params.ratio = 8.0, params.lookaheadMs = 2.0, params.makeupDb = 6.0;
  params.mix = 0.0;
  CompressorProcessor dry(params);
  const Channels dryOutput = processChannels(dry, sampleRate, input);
  const auto latency = static_cast<std::size_t>(dry.properties(2).latencyFrames);
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t n = 0; n < frames; ++n) REQUIRE(dryOutput[c][n] == (n < latency ? 0.0f : input[c][n - latency]));
  params.mix = 1.0;
  CompressorProcessor wet(params);
  const Channels wetOutput = processChannels(wet, sampleRate, input);
  params.mix = 0.25;
  CompressorProcessor blend(params);
  const Channels blendOutput = processChannels(blend, sampleRate, input);
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t n = 0; n < frames; ++n)
      CHECK(blendOutput[c][n] == doctest::Approx(0.75 * dryOutput[c][n] + 0.25 * wetOutput[c][n]).epsilon(1e-5));
}

TEST_CASE("dsp: compressor makeup of 6.0206 dB doubles a signal under the threshold") {
  CompressorProcessor::Params params;
  params.thresholdDb = 0.0, params.makeupDb = 20.0 * std::log10(2.0);
  const Channels input{makeSine(440.0, 44100.0, 4410, 0.25)};
  CompressorProcessor compressor(params);
  const Channels output = processChannels(compressor, 44100.0, input);
  for (std::size_t n = 0; n < input[0].size(); ++n)
    CHECK(output[0][n] == doctest::Approx(2.0 * input[0][n]).epsilon(1e-6));
}

TEST_CASE("dsp: compressor reports its largest gain reduction") {
  CompressorProcessor::Params params;
  params.thresholdDb = -20.0, params.ratio = 4.0;
  CompressorProcessor compressor(params);
  processChannels(compressor, 48000.0, {makeSine(1000.0, 48000.0, 48000, dbToAmplitude(-2.0))});
  // The held peak sags by at most a fraction 1 - exp(-1 / (2 f release)) between the peaks of the tone.
  const double expected = 18.0 * 0.75, sag = expected * (1.0 - std::exp(-1.0 / (2.0 * 1000.0 * 0.1)));
  CHECK(compressor.maxGainReductionDb() <= expected);
  CHECK(compressor.maxGainReductionDb() >= expected - sag);
  const Processor& processor = compressor;  // the report reads it through the interface
  CHECK(processor.gainReductionMeter() != nullptr);
  CHECK(processor.gainReductionMeter()->maxGainReductionDb() == compressor.maxGainReductionDb());
  compressor.reset();
  CHECK(compressor.maxGainReductionDb() == 0.0);
}

TEST_CASE("dsp: compressor output is independent of the block split, with and without a key") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0})
    for (const bool keyed : {false, true})
      for (const auto detector : {DetectorMode::Peak, DetectorMode::Rms}) {
        CompressorProcessor::Params params;
        params.thresholdDb = -24.0, params.ratio = 6.0, params.kneeDb = 6.0, params.attackMs = 2.0;
        params.releaseMs = 80.0, params.lookaheadMs = 3.0, params.mix = 0.8, params.detector = detector;
        params.keyHighpassHz = 120.0;
        const auto frames = static_cast<std::size_t>(0.6 * sampleRate);
        const Channels input{makeNoise(frames, 0.9, 5), makeNoise(frames, 0.3, 6)};
        const Channels key = keyed ? Channels{makeNoise(frames, 0.5, 8)} : Channels{};
        CompressorProcessor whole(params), split(params);
        const Channels expected = processChannels(whole, sampleRate, input, key, 0);
        CHECK(processChannels(split, sampleRate, input, key, 11) == expected);
        split.reset();  // reset() repeats the render
        CHECK(processChannels(split, sampleRate, input, key, 12, PrepareFirst::No) == expected);
      }
}

TEST_CASE("dsp: compressor outputs no subnormal after a loud passage and 10 s of silence") {
  const double sampleRate = 44100.0;
  for (const auto detector : {DetectorMode::Peak, DetectorMode::Rms}) {
    CompressorProcessor::Params params;
    params.detector = detector, params.keyHighpassHz = 40.0, params.lookaheadMs = 1.0, params.releaseMs = 10000.0;
    std::vector<float> input = makeNoise(static_cast<std::size_t>(11 * sampleRate), 1.0, 9);
    std::fill(input.begin() + static_cast<std::ptrdiff_t>(sampleRate), input.end(), 0.0f);
    CompressorProcessor compressor(params);
    const Channels output = processChannels(compressor, sampleRate, {input, input}, {}, 13);
    for (const auto& channel : output)
      CHECK(std::none_of(channel.begin(), channel.end(), [](float x) { return std::fpclassify(x) == FP_SUBNORMAL; }));
  }
}

TEST_CASE("dsp: compressor retargeted to its own params after prepare renders bit for bit as before") {
  const double sampleRate = 48000.0;
  const std::size_t frames = 24000;
  const Channels input{makeNoise(frames, 0.9, 41), makeNoise(frames, 0.4, 42)};
  for (const auto detector : {DetectorMode::Peak, DetectorMode::Rms})
    for (const unsigned splitSeed : {0u, 43u, 44u}) {
      CompressorProcessor::Params params;
      params.thresholdDb = -24.0, params.ratio = 5.0, params.kneeDb = 6.0, params.attackMs = 2.0;
      params.releaseMs = 60.0, params.lookaheadMs = 2.0, params.mix = 0.7, params.makeupDb = 4.0;
      params.detector = detector, params.keyHighpassHz = 90.0;
      CompressorProcessor plain(params), retargeted(params);
      const Channels expected = processChannels(plain, sampleRate, input, {}, splitSeed);
      retargeted.prepare({sampleRate, 1024, 2});
      retargeted.retarget(retargeted.params(), 0);
      CHECK(processChannels(retargeted, sampleRate, input, {}, splitSeed, PrepareFirst::No) == expected);
    }
}

TEST_CASE("dsp: compressor threshold retargeted from -10 to -30 dB settles on the static curve") {
  // A 0 dBFS 1 kHz sine: 0.75 * 10 = 7.5 dB of gain reduction, then 0.75 * 30 = 22.5 dB.
  const double sampleRate = 48000.0, ratio = 4.0;
  const std::size_t frames = 48000, change = 12000;
  CompressorProcessor::Params params;
  params.thresholdDb = -10.0, params.ratio = ratio, params.attackMs = 5.0, params.releaseMs = 1000.0;
  const Channels input{makeSine(1000.0, sampleRate, frames)};
  CompressorProcessor compressor(params);
  compressor.prepare({sampleRate, 1024, 1});
  const Channels before = processChannels(compressor, sampleRate, framesOf(input, 0, change), {}, 45, PrepareFirst::No);
  params.thresholdDb = -30.0;
  compressor.retarget(params, kAutomationStrideFrames);
  const Channels after =
      processChannels(compressor, sampleRate, framesOf(input, change, frames - change), {}, 46, PrepareFirst::No);
  CHECK(compressor.params().thresholdDb == -30.0);
  // The held attenuation sags by at most 1 - exp(-1 / (2 f release)) = 0.05 % between the peaks.
  const auto gainReductionDb = [](const std::vector<float>& in, const std::vector<float>& out, std::size_t first) {
    return -amplitudeToDb(rmsOver(out, first, 4800) / rmsOver(in, first, 4800));
  };
  const double beforeDb = gainReductionDb(input[0], before[0], change - 4800);
  const double afterDb = gainReductionDb(framesOf(input, change, frames - change)[0], after[0], frames - change - 4800);
  INFO("gain reduction before " << beforeDb << " dB, after " << afterDb << " dB");
  CHECK(std::abs(beforeDb - (1.0 - 1.0 / ratio) * (0.0 - -10.0)) < 0.02);
  CHECK(std::abs(afterDb - (1.0 - 1.0 / ratio) * (0.0 - -30.0)) < 0.02);
  // Settled, it renders what a compressor prepared at -30 dB renders, bit for bit.
  CompressorProcessor fresh(params);
  const Channels freshOutput = processChannels(fresh, sampleRate, input);
  CHECK(framesOf(after, frames - change - 12000, 12000) == framesOf(freshOutput, frames - 12000, 12000));
}

TEST_CASE("dsp: compressor makeup and mix ramp the output gain linearly frame by frame") {
  const double sampleRate = 48000.0;
  const std::size_t frames = 1000, change = 100;
  const int rampFrames = 64;
  const auto checkRamp = [&](CompressorProcessor::Params params, const CompressorProcessor::Params& target, float level,
                             const auto& expectedGain) {
    const Channels input{std::vector<float>(frames, level)};
    CompressorProcessor compressor(params);
    compressor.prepare({sampleRate, 1024, 1});
    processChannels(compressor, sampleRate, framesOf(input, 0, change), {}, 0, PrepareFirst::No);
    compressor.retarget(target, rampFrames);
    // Split across calls, so the ramp crosses blocks.
    const Channels output = processChannels(compressor, sampleRate, framesOf(input, change, frames - change), {}, 47,
                                            PrepareFirst::No);
    double worst = 0.0;
    for (std::size_t n = 0; n < frames - change; ++n) {
      const double expected = expectedGain(std::min(static_cast<double>(n) / rampFrames, 1.0));
      worst = std::max(worst, std::abs(output[0][n] / static_cast<double>(level) / expected - 1.0));
    }
    return worst;
  };
  // A constant level under the threshold: the gain is makeup alone, 1 .. 10^(6 / 20) in linear steps.
  CompressorProcessor::Params params;
  params.thresholdDb = 0.0;
  CompressorProcessor::Params target = params;
  target.makeupDb = 6.0;
  const double makeupError =
      checkRamp(params, target, 0.25f, [](double x) { return 1.0 + x * (dbToAmplitude(6.0) - 1.0); });
  // A constant 0 dBFS compressed by exactly (1 - 1/4) 20 = 15 dB (attack 0): the gain is (1 - mix) + mix 10^(-15 / 20).
  params.thresholdDb = -20.0, params.ratio = 4.0, params.attackMs = 0.0;
  target = params;
  target.mix = 0.25;
  const double compressed = dbToAmplitude(-15.0);
  const double mixError = checkRamp(params, target, 1.0f, [&](double x) {
    const double mix = 1.0 + x * (0.25 - 1.0);
    return (1.0 - mix) + mix * compressed;
  });
  INFO("largest relative gain error: makeup " << makeupError << ", mix " << mixError);
  CHECK(makeupError < 1e-6);
  CHECK(mixError < 1e-6);
}

TEST_CASE("dsp: compressor automated output is independent of the block split, with and without a key") {
  const double sampleRate = 44100.0;
  const auto frames = static_cast<std::size_t>(0.8 * sampleRate);
  const Channels input{makeNoise(frames, 0.9, 48), makeNoise(frames, 0.3, 49)};
  using Automated = AutomatedProcessor<CompressorProcessor>;
  using Params = CompressorProcessor::Params;
  Params params;
  params.lookaheadMs = 1.5, params.detector = DetectorMode::Rms, params.keyHighpassHz = 100.0;
  const auto automated = [&params] {
    std::vector<Automated::Parameter> parameters;
    parameters.push_back({{{0.0, -10.0}, {0.5, -40.0}}, CurveShape::Linear, [](Params& p, double v) { p.thresholdDb = v; }});
    parameters.push_back({{{0.0, 2.0}, {0.3, 8.0}}, CurveShape::Smooth, [](Params& p, double v) { p.ratio = v; }});
    parameters.push_back({{{0.0, 0.0}, {0.2, 9.0}}, CurveShape::Step, [](Params& p, double v) { p.makeupDb = v; }});
    parameters.push_back({{{0.1, 1.0}, {0.6, 0.2}}, CurveShape::Linear, [](Params& p, double v) { p.mix = v; }});
    parameters.push_back({{{0.0, 1.0}, {0.4, 20.0}}, CurveShape::Linear, [](Params& p, double v) { p.attackMs = v; }});
    parameters.push_back({{{0.0, 300.0}, {0.4, 20.0}}, CurveShape::Linear, [](Params& p, double v) { p.releaseMs = v; }});
    parameters.push_back({{{0.0, 0.0}, {0.7, 12.0}}, CurveShape::Linear, [](Params& p, double v) { p.kneeDb = v; }});
    return Automated(std::make_unique<CompressorProcessor>(params), std::move(parameters));
  };
  for (const bool keyed : {false, true}) {
    const Channels key = keyed ? Channels{makeNoise(frames, 0.6, 50)} : Channels{};
    Automated whole = automated(), split = automated();
    const Channels expected = processChannels(whole, sampleRate, input, key, 0);
    CHECK(processChannels(split, sampleRate, input, key, 51) == expected);
    split.reset();  // reset() repeats the render
    CHECK(processChannels(split, sampleRate, input, key, 52, PrepareFirst::No) == expected);
    CompressorProcessor still(params);
    CHECK(processChannels(still, sampleRate, input, key, 0) != expected);  // the automation moved something
  }
}
