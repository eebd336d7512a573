// The dynamic EQ against the compressor curve's amount over the threshold and the
// RBJ cookbook's band gains, computed here.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

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
  CHECK(eq.reducesGain());
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
    CHECK_FALSE(eq.reducesGain());  // a boosting band reduces no gain
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

TEST_CASE("dsp: dynamic eq output is independent of the block split, with and without a key") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0})
    for (const bool keyed : {false, true}) {
      DynamicEqProcessor::Band kick;
      kick.frequencyHz = 80.0, kick.q = 1.2, kick.thresholdDb = -36.0, kick.ratio = 4.0, kick.rangeDb = -9.0;
      kick.attackMs = 3.0, kick.releaseMs = 60.0, kick.keyed = true;
      DynamicEqProcessor::Band air;
      air.shape = BiquadShape::HighShelf, air.frequencyHz = 6000.0, air.gainDb = 2.0, air.thresholdDb = -20.0;
      air.ratio = 3.0, air.rangeDb = -6.0, air.attackMs = 0.5, air.releaseMs = 30.0;
      const auto frames = static_cast<std::size_t>(0.5 * sampleRate);
      const Channels input{makeNoise(frames, 0.7, 31), makeNoise(frames, 0.4, 32)};
      const Channels key = keyed ? Channels{makeNoise(frames, 1.0, 33)} : Channels{};
      DynamicEqProcessor whole({{kick, air}}), split({{kick, air}});
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
