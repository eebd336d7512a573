// The dynamic EQ against the compressor curve's amount over the threshold and the
// RBJ cookbook's band gains, computed here.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "mixdown/dsp/automated_processor.h"
#include "mixdown/dsp/dynamic_eq.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

using namespace mixdown;
using namespace mixdown::dsp;
using namespace mixdown::test;

namespace {

/** Gain (dB) of the sine at frequencyHz through the processor, from least-squares fits over [first, first + count). */
double sineGainDb(const std::vector<float>& in, const std::vector<float>& out, std::size_t first, std::size_t count,
                  double frequencyHz, double sampleRate) {
  return amplitudeToDb(fitSine(out, first, count, frequencyHz, sampleRate).amplitude /
                       fitSine(in, first, count, frequencyHz, sampleRate).amplitude);
}

/** The compressor curve's amount over the threshold (hard knee), limited to |range|. */
double amountDb(double levelDb, double thresholdDb, double ratio, double rangeDb) {
  return std::min(std::max(levelDb - thresholdDb, 0.0) * (1.0 - 1.0 / ratio), std::abs(rangeDb));
}

}  // namespace

TEST_CASE("dsp: dynamic eq keyed band cuts the input's band by the gain-computer amount, never more than its range") {
  const double sampleRate = 48000.0;
  DynamicEqProcessor::Band band;
  band.shape = BiquadShape::Peak, band.frequencyHz = 100.0, band.q = 2.0, band.thresholdDb = -30.0, band.ratio = 3.0;
  band.attackMs = 5.0, band.releaseMs = 1000.0, band.rangeDb = -12.0, band.keyed = true;
  const std::size_t frames = 96000;
  const std::vector<float> input = makeSine(100.0, sampleRate, frames, dbToAmplitude(-12.0));
  // Key tones in the band (100 Hz, read at their level) and outside it (1 kHz, read through the band's bandpass).
  for (const double keyHz : {100.0, 1000.0})
    for (const double keyDb : {-40.0, -24.0, -18.0, -10.0, 0.0}) {
      DynamicEqProcessor eq({{band}});
      const Channels output = processChannels(eq, sampleRate, {input}, {makeSine(keyHz, sampleRate, frames, dbToAmplitude(keyDb))});
      const double bandLevelDb = keyDb + amplitudeToDb(magnitudeAt(
                                             designRbj(BiquadShape::Bandpass, 100.0, 2.0, 0.0, sampleRate), keyHz, sampleRate));
      // The peak filter's gain at its centre frequency is its gain in dB (RBJ cookbook).
      const double expectedDb = -amountDb(bandLevelDb, band.thresholdDb, band.ratio, band.rangeDb);
      const double measuredDb = sineGainDb(input, output[0], frames / 2, frames / 2, 100.0, sampleRate);
      CHECK(std::abs(measuredDb - expectedDb) < 0.2);
      CHECK(measuredDb >= band.rangeDb - 0.01);
      if (bandLevelDb < band.thresholdDb) CHECK(output[0] == input);  // untouched, bit for bit
    }
}

TEST_CASE("dsp: dynamic eq keyed band cuts only while the key's band level is above the threshold") {
  const double sampleRate = 44100.0;
  DynamicEqProcessor::Band band;
  band.frequencyHz = 60.0, band.q = 1.0, band.thresholdDb = -30.0, band.ratio = 4.0, band.rangeDb = -9.0;
  band.attackMs = 2.0, band.releaseMs = 40.0, band.keyed = true;
  const std::size_t segment = 22050;
  const std::vector<float> input = makeSine(60.0, sampleRate, 4 * segment, 0.5);
  std::vector<float> key = makeSine(60.0, sampleRate, 4 * segment);  // 0 dBFS "kick" in the second half second
  for (std::size_t n = 0; n < key.size(); ++n)
    if (n < segment || n >= 2 * segment) key[n] = 0.0f;
  DynamicEqProcessor eq({{band}});
  const Channels output = processChannels(eq, sampleRate, {input, input}, {key});
  for (std::size_t n = 0; n < segment; ++n) REQUIRE(output[1][n] == input[n]);  // before the key: untouched
  CHECK(sineGainDb(input, output[0], segment + segment / 2, segment / 2, 60.0, sampleRate) ==
        doctest::Approx(-9.0).epsilon(0.02));
  // 1.5 s after the key stopped (37 release time constants): back to 0 dB.
  CHECK(std::abs(sineGainDb(input, output[1], 3 * segment, segment, 60.0, sampleRate)) < 0.01);
  CHECK(eq.gainReductionMeter() != nullptr);
  CHECK(eq.maxGainReductionDb() == eq.maxDynamicGainDb());
  CHECK(eq.maxDynamicGainDb() <= 9.0);
  CHECK(eq.maxDynamicGainDb() > 8.9);  // the held peak sags a little near the key's zero crossings
}

TEST_CASE("dsp: dynamic eq de-esser band cuts a loud 7 kHz burst but leaves a quiet one untouched") {
  const double sampleRate = 48000.0;
  DynamicEqProcessor::Band band;
  band.frequencyHz = 7000.0, band.q = 3.0, band.thresholdDb = -30.0, band.ratio = 4.0, band.rangeDb = -10.0;
  band.attackMs = 1.0, band.releaseMs = 50.0;
  // Quiet burst (-40 dBFS) at 0.1 s, loud burst (-6 dBFS) at 0.6 s, quiet burst at 1.6 s; 0.3 s each.
  const std::size_t burst = 14400;
  const std::size_t starts[] = {4800, 28800, 76800};
  const double levels[] = {-40.0, -6.0, -40.0};
  std::vector<float> input(96000, 0.0f);
  const std::vector<float> tone = makeSine(7000.0, sampleRate, input.size());
  for (int b = 0; b < 3; ++b)
    for (std::size_t n = starts[b]; n < starts[b] + burst; ++n) input[n] = tone[n] * static_cast<float>(dbToAmplitude(levels[b]));
  DynamicEqProcessor eq({{band}});
  const Channels output = processChannels(eq, sampleRate, {input});
  for (std::size_t n = 0; n < starts[1]; ++n) REQUIRE(output[0][n] == input[n]);
  const double loudCutDb = -amountDb(-6.0, band.thresholdDb, band.ratio, band.rangeDb);  // min(18, 10)
  CHECK(sineGainDb(input, output[0], starts[1] + burst / 3, 2 * burst / 3, 7000.0, sampleRate) ==
        doctest::Approx(loudCutDb).epsilon(0.02));
  CHECK(std::abs(sineGainDb(input, output[0], starts[2], burst, 7000.0, sampleRate)) < 0.01);
}

TEST_CASE("dsp: dynamic eq static gain, boosting range and shelves follow the cookbook gains") {
  const double sampleRate = 96000.0;
  const std::size_t frames = 96000;
  DynamicEqProcessor::Band peak;
  peak.frequencyHz = 1000.0, peak.q = 1.5, peak.gainDb = 4.0, peak.thresholdDb = -30.0, peak.ratio = 2.0;
  peak.rangeDb = 6.0, peak.attackMs = 1.0, peak.releaseMs = 200.0;
  for (const double levelDb : {-50.0, -26.0, -10.0}) {  // amount 0, 2, min(10, 6) dB of boost
    const std::vector<float> input = makeSine(1000.0, sampleRate, frames, dbToAmplitude(levelDb));
    DynamicEqProcessor eq({{peak}});
    const Channels output = processChannels(eq, sampleRate, {input});
    const double expectedDb = peak.gainDb + amountDb(levelDb, peak.thresholdDb, peak.ratio, peak.rangeDb);
    CHECK(std::abs(sineGainDb(input, output[0], frames / 2, frames / 2, 1000.0, sampleRate) - expectedDb) < 0.2);
    CHECK(eq.gainReductionMeter() == nullptr);  // a boosting band reduces no gain
    CHECK(eq.maxGainReductionDb() == 0.0);
  }
  // A low shelf measures its band through a lowpass (Q 1/sqrt 2) at its frequency and moves the shelf's gain.
  DynamicEqProcessor::Band shelf;
  shelf.shape = BiquadShape::LowShelf, shelf.frequencyHz = 200.0, shelf.q = 0.707, shelf.thresholdDb = -30.0;
  shelf.ratio = 2.0, shelf.rangeDb = -12.0, shelf.attackMs = 1.0, shelf.releaseMs = 500.0;
  const std::vector<float> input = makeSine(50.0, sampleRate, frames, dbToAmplitude(-14.0));
  DynamicEqProcessor eq({{shelf}});
  const Channels output = processChannels(eq, sampleRate, {input});
  const double bandLevelDb =
      -14.0 + amplitudeToDb(magnitudeAt(designRbj(BiquadShape::Lowpass, 200.0, 0.7071067811865476, 0.0, sampleRate), 50.0, sampleRate));
  const double shelfGainDb = -amountDb(bandLevelDb, shelf.thresholdDb, shelf.ratio, shelf.rangeDb);
  const double expectedDb =
      amplitudeToDb(magnitudeAt(designRbj(BiquadShape::LowShelf, 200.0, 0.707, shelfGainDb, sampleRate), 50.0, sampleRate));
  CHECK(std::abs(sineGainDb(input, output[0], frames / 2, frames / 2, 50.0, sampleRate) - expectedDb) < 0.2);
}

namespace {

/** A kick band (keyed peak) and an air band (high shelf). */
DynamicEqProcessor::Params kickAndAir() {
  DynamicEqProcessor::Band kick;
  kick.frequencyHz = 80.0, kick.q = 1.2, kick.thresholdDb = -36.0, kick.ratio = 4.0, kick.rangeDb = -9.0;
  kick.attackMs = 3.0, kick.releaseMs = 60.0, kick.keyed = true;
  DynamicEqProcessor::Band air;
  air.shape = BiquadShape::HighShelf, air.frequencyHz = 6000.0, air.gainDb = 2.0, air.thresholdDb = -20.0;
  air.ratio = 3.0, air.rangeDb = -6.0, air.attackMs = 0.5, air.releaseMs = 30.0;
  return {{kick, air}};
}

}  // namespace

TEST_CASE("dsp: dynamic eq output is independent of the block split, with and without a key") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0})
    for (const bool keyed : {false, true}) {
      const auto frames = static_cast<std::size_t>(0.5 * sampleRate);
      const Channels input{makeNoise(frames, 0.7, 31), makeNoise(frames, 0.4, 32)};
      const Channels key = keyed ? Channels{makeNoise(frames, 1.0, 33)} : Channels{};
      DynamicEqProcessor whole(kickAndAir()), split(kickAndAir());
      const Channels expected = processChannels(whole, sampleRate, input, key, 0);
      CHECK(processChannels(split, sampleRate, input, key, 34) == expected);
      split.reset();
      CHECK(processChannels(split, sampleRate, input, key, 35, PrepareFirst::No) == expected);
    }
}

TEST_CASE("dsp: dynamic eq outputs no subnormal after a loud passage and 10 s of silence") {
  const double sampleRate = 44100.0;
  DynamicEqProcessor::Band low, high;
  low.shape = BiquadShape::LowShelf, low.frequencyHz = 30.0, low.gainDb = 6.0, low.thresholdDb = -40.0;
  high.frequencyHz = 15000.0, high.q = 8.0, high.gainDb = -3.0, high.thresholdDb = -40.0, high.releaseMs = 3000.0;
  std::vector<float> input = makeNoise(static_cast<std::size_t>(11 * sampleRate), 1.0, 36);
  std::fill(input.begin() + static_cast<std::ptrdiff_t>(sampleRate), input.end(), 0.0f);
  DynamicEqProcessor eq({{low, high}});
  const Channels output = processChannels(eq, sampleRate, {input, input}, {}, 37);
  for (const auto& channel : output)
    CHECK(std::none_of(channel.begin(), channel.end(), [](float x) { return std::fpclassify(x) == FP_SUBNORMAL; }));
}

TEST_CASE("dsp: dynamic eq rejects bands without a gain to move") {
  DynamicEqProcessor::Band band;
  band.shape = BiquadShape::Highpass;
  CHECK_THROWS_AS(DynamicEqProcessor({{band}}), std::invalid_argument);
}

TEST_CASE("dsp: dynamic eq retargeted to its own params after prepare renders bit for bit as before") {
  const double sampleRate = 48000.0;
  const std::size_t frames = 24000;
  const Channels input{makeNoise(frames, 0.7, 81), makeNoise(frames, 0.4, 82)};
  for (const bool keyed : {false, true})
    for (const unsigned splitSeed : {0u, 83u, 84u}) {
      const Channels key = keyed ? Channels{makeNoise(frames, 1.0, 85)} : Channels{};
      DynamicEqProcessor plain(kickAndAir()), retargeted(kickAndAir());
      const Channels expected = processChannels(plain, sampleRate, input, key, splitSeed);
      retargeted.prepare({sampleRate, 1024, 2});
      retargeted.retarget(retargeted.params(), 0);
      CHECK(processChannels(retargeted, sampleRate, input, key, splitSeed, PrepareFirst::No) == expected);
    }
}

TEST_CASE("dsp: dynamic eq band retuned to a new frequency, q, gain and threshold settles on the cookbook gain") {
  // A -20 dBFS 2 kHz sine. First the band sits at 1 kHz (-4 dB, threshold 0 dB): its cookbook gain at 2 kHz. Then at
  // 2 kHz (q 2, +6 dB, threshold -30 dB, 1:2): its bandpass reads the tone at -20 dB, so the band cuts
  // (1 - 1/2)(-20 + 30) = 5 dB of its +6 dB, and the peak filter's gain at its centre is 6 - 5 = 1 dB.
  const double sampleRate = 48000.0;
  const std::size_t frames = 96000, change = 24000;
  DynamicEqProcessor::Band band;
  band.frequencyHz = 1000.0, band.q = 1.0, band.gainDb = -4.0, band.thresholdDb = 0.0, band.ratio = 2.0;
  band.attackMs = 1.0, band.releaseMs = 1000.0, band.rangeDb = -12.0;
  const Channels input{makeSine(2000.0, sampleRate, frames, dbToAmplitude(-20.0))};
  DynamicEqProcessor eq({{band}});
  eq.prepare({sampleRate, 1024, 1});
  const Channels before = processChannels(eq, sampleRate, framesOf(input, 0, change), {}, 86, PrepareFirst::No);
  DynamicEqProcessor::Band moved = band;
  moved.frequencyHz = 2000.0, moved.q = 2.0, moved.gainDb = 6.0, moved.thresholdDb = -30.0;
  eq.retarget({{moved}}, kAutomationStrideFrames);
  const Channels movedInput = framesOf(input, change, frames - change);
  const Channels after = processChannels(eq, sampleRate, movedInput, {}, 87, PrepareFirst::No);
  const double beforeDb = sineGainDb(input[0], before[0], change / 2, change / 2, 2000.0, sampleRate);
  const double expectedBeforeDb =
      amplitudeToDb(magnitudeAt(designRbj(BiquadShape::Peak, 1000.0, 1.0, -4.0, sampleRate), 2000.0, sampleRate));
  const double afterDb = sineGainDb(movedInput[0], after[0], 48000, 24000, 2000.0, sampleRate);
  const double expectedAfterDb = moved.gainDb - amountDb(-20.0, moved.thresholdDb, moved.ratio, moved.rangeDb);
  INFO("band gain before " << beforeDb << " dB, after " << afterDb << " dB (expected " << expectedAfterDb << ")");
  CHECK(std::abs(beforeDb - expectedBeforeDb) < 1e-3);
  CHECK(std::abs(afterDb - expectedAfterDb) < 0.02);
  // Settled, it renders what a band prepared at 2 kHz renders (the filters' states converge).
  DynamicEqProcessor fresh({{moved}});
  const Channels freshOutput = processChannels(fresh, sampleRate, input);
  double worst = 0.0;
  for (std::size_t n = frames - 24000; n < frames; ++n)
    worst = std::max(worst, std::abs(static_cast<double>(after[0][n - change]) - freshOutput[0][n]));
  INFO("largest difference from the band prepared at 2 kHz: " << worst);
  CHECK(worst <= 1e-6);
}

TEST_CASE("dsp: dynamic eq band coefficients move linearly from the old design to the new per sample") {
  // Below the threshold (no dynamic gain) the band is a plain biquad: during the ramp its coefficients at ramp
  // frame k are c0 + (k / N)(c1 - c0), the cookbook designs of the old and the new band; after it, c1.
  const double sampleRate = 48000.0;
  const std::size_t frames = 4000, change = 1000;
  const int rampFrames = 64;
  DynamicEqProcessor::Band band;
  band.frequencyHz = 1000.0, band.q = 1.0, band.gainDb = -3.0, band.thresholdDb = 0.0;
  DynamicEqProcessor::Band moved = band;
  moved.frequencyHz = 3000.0, moved.q = 4.0, moved.gainDb = 9.0;
  const Channels input{makeNoise(frames, 0.1, 88)};
  DynamicEqProcessor eq({{band}});
  eq.prepare({sampleRate, 1024, 1});
  Channels output = processChannels(eq, sampleRate, framesOf(input, 0, change), {}, 89, PrepareFirst::No);
  eq.retarget({{moved}}, rampFrames);
  const Channels rest =
      processChannels(eq, sampleRate, framesOf(input, change, frames - change), {}, 90, PrepareFirst::No);
  output[0].insert(output[0].end(), rest[0].begin(), rest[0].end());

  const BiquadCoefficients from = designRbj(BiquadShape::Peak, 1000.0, 1.0, -3.0, sampleRate);
  const BiquadCoefficients to = designRbj(BiquadShape::Peak, 3000.0, 4.0, 9.0, sampleRate);
  double s1 = 0.0, s2 = 0.0, worst = 0.0;  // transposed direct form II
  for (std::size_t n = 0; n < frames; ++n) {
    const double x = (n < change ? 0.0 : std::min(static_cast<double>(n - change) / rampFrames, 1.0));
    const auto lerp = [x](double a, double b) { return a + x * (b - a); };
    const double b0 = lerp(from.b0, to.b0), b1 = lerp(from.b1, to.b1), b2 = lerp(from.b2, to.b2);
    const double a1 = lerp(from.a1, to.a1), a2 = lerp(from.a2, to.a2);
    const double y = b0 * input[0][n] + s1;
    s1 = b1 * input[0][n] - a1 * y + s2;
    s2 = b2 * input[0][n] - a2 * y;
    worst = std::max(worst, std::abs(output[0][n] - y));
  }
  INFO("largest difference from the interpolated reference: " << worst);
  CHECK(worst < 1e-6);
}

TEST_CASE("dsp: dynamic eq automated output is independent of the block split, with and without a key") {
  const double sampleRate = 48000.0;
  const std::size_t frames = 30000;
  const Channels input{makeNoise(frames, 0.7, 91), makeNoise(frames, 0.4, 92)};
  using Automated = AutomatedProcessor<DynamicEqProcessor>;
  using Params = DynamicEqProcessor::Params;
  const auto automated = [] {
    std::vector<Automated::Parameter> parameters;
    const auto band = [](std::size_t index, double DynamicEqProcessor::Band::*member) {
      return [index, member](Params& params, double value) { params.bands[index].*member = value; };
    };
    parameters.push_back({{{0.0, 80.0}, {0.5, 200.0}}, CurveShape::Linear, band(0, &DynamicEqProcessor::Band::frequencyHz)});
    parameters.push_back({{{0.1, 1.2}, {0.3, 4.0}}, CurveShape::Smooth, band(0, &DynamicEqProcessor::Band::q)});
    parameters.push_back({{{0.0, -36.0}, {0.2, -20.0}}, CurveShape::Step, band(0, &DynamicEqProcessor::Band::thresholdDb)});
    parameters.push_back({{{0.0, 6000.0}, {0.6, 3000.0}}, CurveShape::Linear, band(1, &DynamicEqProcessor::Band::frequencyHz)});
    parameters.push_back({{{0.0, 2.0}, {0.4, -4.0}}, CurveShape::Linear, band(1, &DynamicEqProcessor::Band::gainDb)});
    parameters.push_back({{{0.0, -6.0}, {0.5, 4.0}}, CurveShape::Linear, band(1, &DynamicEqProcessor::Band::rangeDb)});
    return Automated(std::make_unique<DynamicEqProcessor>(kickAndAir()), std::move(parameters));
  };
  for (const bool keyed : {false, true}) {
    const Channels key = keyed ? Channels{makeNoise(frames, 1.0, 93)} : Channels{};
    Automated whole = automated(), split = automated();
    const Channels expected = processChannels(whole, sampleRate, input, key, 0);
    CHECK(processChannels(split, sampleRate, input, key, 94) == expected);
    split.reset();
    CHECK(processChannels(split, sampleRate, input, key, 95, PrepareFirst::No) == expected);
    DynamicEqProcessor still(kickAndAir());
    CHECK(processChannels(still, sampleRate, input, key, 0) != expected);  // the automation moved something
  }
}
