// The reverb against independent measurements of its impulse response
// (support/impulse_response_measures.h): Schroeder T30 broadband and in octave bands,
// the predelay to the first non-zero sample, the left/right correlation and the
// longest gap between echoes; plus the Processor contract (block splits, reset, mix,
// mono and stereo inputs, no subnormals).

#include "mixdown/dsp/reverb.h"
#include "mixdown/dsp/simd_lanes.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "support/impulse_response_measures.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

using namespace mixdown;
using namespace mixdown::dsp;
using mixdown::test::Channels;
using mixdown::test::makeNoise;
using mixdown::test::processChannels;

namespace {

ReverbProcessor::Params paramsWith(double decayS, double size = 0.6, double damping = 0.5) {
  ReverbProcessor::Params params;
  params.decayS = decayS, params.size = size, params.damping = damping;
  return params;
}

/** The response to a unit impulse at frame 0 of a mono source (both channels, as the graph feeds it). */
Channels impulseResponse(const ReverbProcessor::Params& params, double sampleRate, double seconds) {
  std::vector<float> impulse(static_cast<std::size_t>(seconds * sampleRate), 0.0f);
  impulse[0] = 1.0f;
  ReverbProcessor reverb(params);
  return processChannels(reverb, sampleRate, {impulse, impulse});
}

/** Long enough for the EDC: 1.5 decayS is 90 dB down, plus the predelay and the diffusion. */
double measuringSeconds(const ReverbProcessor::Params& params) {
  return 1.5 * params.decayS + params.predelayMs / 1000.0 + 0.5;
}

std::ptrdiff_t firstNonZero(const std::vector<float>& samples) {
  const auto it = std::find_if(samples.begin(), samples.end(), [](float x) { return x != 0.0f; });
  return it - samples.begin();
}

}  // namespace

TEST_CASE("dsp: reverb broadband RT60 (T30) is decay_s within 10 % without damping") {
  for (const double sampleRate : {44100.0, 96000.0})
    for (const double decayS : {0.3, 1.0, 2.0, 5.0}) {
      const ReverbProcessor::Params params = paramsWith(decayS, 0.6, 0.0);
      const Channels ir = impulseResponse(params, sampleRate, measuringSeconds(params));
      for (const auto& channel : ir) {
        const double t30 = test::t30Seconds(channel, sampleRate);
        MESSAGE("fs " << sampleRate << " decay " << decayS << " s: T30 " << t30 << " s");
        CHECK(std::abs(t30 / decayS - 1.0) < 0.10);
      }
    }
}

TEST_CASE("dsp: reverb RT60 in the 500 Hz and 1 kHz octaves is decay_s within 10 % at the default damping") {
  // The damping shelf leaves the mid frequencies at decay_s (ISO 3382-1's T30 "mid").
  const double sampleRate = 48000.0;
  for (const double decayS : {0.3, 2.0}) {
    const ReverbProcessor::Params params = paramsWith(decayS);
    const Channels ir = impulseResponse(params, sampleRate, measuringSeconds(params));
    for (const double centreHz : {500.0, 1000.0}) {
      const double t30 = test::t30Seconds(test::octaveBand(ir[0], centreHz, sampleRate), sampleRate);
      MESSAGE("decay " << decayS << " s, damping 0.5, " << centreHz << " Hz octave: T30 " << t30 << " s");
      CHECK(std::abs(t30 / decayS - 1.0) < 0.10);
    }
  }
}

TEST_CASE("dsp: reverb damping makes the 8 kHz octave decay faster than the 500 Hz octave") {
  const double sampleRate = 44100.0;
  const double decayS = 2.0;
  for (const double damping : {0.0, 0.25, 0.5, 1.0}) {
    const ReverbProcessor::Params params = paramsWith(decayS, 0.6, damping);
    const Channels ir = impulseResponse(params, sampleRate, measuringSeconds(params));
    const double lowT30 = test::t30Seconds(test::octaveBand(ir[0], 500.0, sampleRate), sampleRate);
    const double highT30 = test::t30Seconds(test::octaveBand(ir[0], 8000.0, sampleRate), sampleRate);
    MESSAGE("damping " << damping << ": T30 500 Hz " << lowT30 << " s, 8 kHz " << highT30 << " s");
    if (damping == 0.0) {
      CHECK(std::abs(highT30 / lowT30 - 1.0) < 0.10);  // no damping: one decay time for all bands
    } else {
      CHECK(highT30 < 0.9 * lowT30);
    }
  }
}

TEST_CASE("dsp: reverb first wet sample lands exactly at the predelay") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0})
    for (const double predelayMs : {0.0, 7.3, 20.0, 113.0, 500.0}) {
      ReverbProcessor::Params params;
      params.predelayMs = predelayMs;
      const Channels ir = impulseResponse(params, sampleRate, predelayMs / 1000.0 + 0.05);
      const auto expected = static_cast<std::ptrdiff_t>(std::lround(predelayMs * sampleRate / 1000.0));
      // The first sample that is not exactly 0: everything before the predelay is silence.
      for (const auto& channel : ir) CHECK(firstNonZero(channel) == expected);
    }
}

TEST_CASE("dsp: reverb channels are decorrelated at width 1 and identical at width 0") {
  const double sampleRate = 48000.0;
  for (const double size : {0.0, 0.6, 1.0})
    for (const double decayS : {0.3, 1.8}) {
      ReverbProcessor::Params params = paramsWith(decayS, size);
      const Channels wide = impulseResponse(params, sampleRate, measuringSeconds(params));
      const double correlation = test::normalisedCorrelation(wide[0], wide[1]);
      MESSAGE("size " << size << " decay " << decayS << " s: left/right correlation " << correlation);
      CHECK(std::abs(correlation) < 0.5);
      params.width = 0.0;
      const Channels narrow = impulseResponse(params, sampleRate, 0.5);
      CHECK(narrow[0] == narrow[1]);
    }
}

TEST_CASE("dsp: reverb has no echo gap over 1 ms after 100 ms while its envelope is above -60 dB re its peak") {
  // A gap is the distance between consecutive samples with |h| >= peak 10^(-60/20). The
  // span ends where the 10 ms RMS envelope, not the last single sample, falls below
  // that level: in any noise-like tail the lone samples above a level the envelope has
  // passed are far apart, however dense the echoes. Damping 0, so the tail's spectrum
  // (a dark tail crosses zero more slowly) does not stand in for its echo density.
  const double sampleRate = 48000.0;
  const auto maxGapFrames = static_cast<std::size_t>(sampleRate / 1000.0);
  for (const double size : {0.0, 0.6, 1.0})
    for (const double decayS : {0.3, 1.8, 5.0}) {
      ReverbProcessor::Params params = paramsWith(decayS, size, 0.0);
      params.predelayMs = 0.0;
      const Channels ir = impulseResponse(params, sampleRate, measuringSeconds(params));
      for (const auto& channel : ir) {
        const double level = test::peakOf(channel) * test::dbToAmplitude(-60.0);
        const auto first = static_cast<std::size_t>(0.1 * sampleRate);
        const auto last = test::lastIndexWithEnvelopeAtOrAbove(channel, level, static_cast<std::size_t>(0.01 * sampleRate));
        REQUIRE(last > static_cast<std::ptrdiff_t>(first));
        const std::size_t gap = test::longestGapFrames(channel, level, first, static_cast<std::size_t>(last));
        MESSAGE("size " << size << " decay " << decayS << " s: longest gap " << gap << " frames up to "
                        << static_cast<double>(last) / sampleRate << " s");
        CHECK(gap <= maxGapFrames);
      }
    }
}

TEST_CASE("dsp: reverb onset is dense: normalised echo density reaches 0.9 within 25 ms at size 0.6, 40 ms at size 1") {
  // Abel and Huang's normalised echo density (20 ms window) of the left channel, timed from the
  // first wet sample (predelay 0): the onset is heard as noise, not as separate echoes.
  for (const double sampleRate : {44100.0, 48000.0, 96000.0})
    for (const auto& [size, limitS] : {std::pair{0.6, 0.025}, std::pair{1.0, 0.040}}) {
      ReverbProcessor::Params params = paramsWith(1.8, size);
      params.predelayMs = 0.0;
      const Channels ir = impulseResponse(params, sampleRate, 0.3);
      for (std::size_t channel = 0; channel < 2; ++channel) {
        const std::vector<double> density = test::normalisedEchoDensity(ir[channel], sampleRate);
        const double reachedS = test::secondsToEchoDensity(density, sampleRate, 0, 0.9);
        MESSAGE("size ", size, " at ", sampleRate, " Hz, channel ", channel, ": echo density 0.9 at ", reachedS * 1000.0,
                " ms; at 20 ms ", density[static_cast<std::size_t>(0.02 * sampleRate)]);
        CHECK(reachedS >= 0.0);
        CHECK(reachedS <= limitS);
      }
    }
}

TEST_CASE("dsp: reverb output does not depend on the block split") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    std::vector<float> left = makeNoise(static_cast<std::size_t>(0.5 * sampleRate), 0.5, 3);
    std::vector<float> right = makeNoise(left.size(), 0.5, 4);
    left.resize(static_cast<std::size_t>(1.5 * sampleRate), 0.0f);
    right.resize(left.size(), 0.0f);
    ReverbProcessor::Params params = paramsWith(1.0, 0.8, 0.7);
    params.mix = 0.4, params.width = 0.7, params.predelayMs = 13.3;
    ReverbProcessor reverb(params);
    const Channels whole = processChannels(reverb, sampleRate, {left, right});
    for (const unsigned seed : {1u, 2u}) CHECK(processChannels(reverb, sampleRate, {left, right}, {}, seed) == whole);
  }
}

TEST_CASE("dsp: reverb gives the same bits in its AVX2 and baseline builds") {
  std::vector<float> left = makeNoise(24000, 0.5, 5);
  std::vector<float> right = makeNoise(left.size(), 0.5, 6);
  left.resize(96000, 0.0f);
  right.resize(left.size(), 0.0f);
  ReverbProcessor::Params params = paramsWith(1.5, 0.6, 0.8);
  params.mix = 0.5;
  ReverbProcessor reverb(params);
  const bool wasBaseline = useBaselineLaneKernels(false);
  if (!laneKernelsUseAvx2()) MESSAGE("this CPU has no AVX2: both runs use the baseline build");
  const Channels native = processChannels(reverb, 48000.0, {left, right});
  useBaselineLaneKernels(true);
  const Channels baseline = processChannels(reverb, 48000.0, {left, right});
  useBaselineLaneKernels(wasBaseline);
  CHECK(native == baseline);  // float ==: no NaN occurs, so equal values here are equal bits but for +-0
}

TEST_CASE("dsp: reverb mix 0 passes the input exactly and mix blends dry and wet linearly") {
  const double sampleRate = 44100.0;
  const Channels input = {makeNoise(22050, 0.8, 5), makeNoise(22050, 0.8, 6)};
  ReverbProcessor::Params params;
  params.mix = 0.0;
  ReverbProcessor dryOnly(params);
  CHECK(processChannels(dryOnly, sampleRate, input, {}, 7) == input);

  params.mix = 1.0;
  ReverbProcessor wetOnly(params);
  const Channels wet = processChannels(wetOnly, sampleRate, input);
  for (const double mix : {0.25, 0.7}) {
    params.mix = mix;
    ReverbProcessor blended(params);
    const Channels output = processChannels(blended, sampleRate, input);
    double worstError = 0.0;
    for (std::size_t channel = 0; channel < 2; ++channel)
      for (std::size_t frame = 0; frame < input[0].size(); ++frame) {
        const double expected = (1.0 - mix) * input[channel][frame] + mix * wet[channel][frame];
        worstError = std::max(worstError, std::abs(output[channel][frame] - expected));
      }
    CHECK(worstError < 1e-6);  // float rounding of two products and a sum
  }
}

TEST_CASE("dsp: reverb makes a mono input stereo and takes a stereo input") {
  ReverbProcessor reverb{ReverbProcessor::Params{}};
  CHECK(reverb.properties(1).outputChannels == 2);
  CHECK(reverb.properties(2).outputChannels == 2);
  CHECK(reverb.properties(2).latencyFrames == 0);

  // Stereo: the reverb is linear, so both sides' inputs reach both outputs and the
  // response to (left, right) is the sum of the responses to each alone.
  const double sampleRate = 48000.0;
  const std::vector<float> left = makeNoise(4800, 0.5, 8);
  const std::vector<float> right = makeNoise(4800, 0.5, 9);
  const std::vector<float> silence(left.size(), 0.0f);
  const Channels both = processChannels(reverb, sampleRate, {left, right});
  const Channels leftOnly = processChannels(reverb, sampleRate, {left, silence});
  const Channels rightOnly = processChannels(reverb, sampleRate, {silence, right});
  for (std::size_t channel = 0; channel < 2; ++channel) {
    CHECK(test::rmsOf(leftOnly[channel]) > 0.01);
    CHECK(test::rmsOf(rightOnly[channel]) > 0.01);
    double worstError = 0.0;
    for (std::size_t frame = 0; frame < left.size(); ++frame)
      worstError = std::max(worstError, static_cast<double>(std::abs(both[channel][frame] - leftOnly[channel][frame] -
                                                                     rightOnly[channel][frame])));
    CHECK(worstError < 1e-5);
  }
  // Mono (the graph duplicates channel 0): the outputs differ.
  const Channels mono = processChannels(reverb, sampleRate, {left, left});
  CHECK(mono[0] != mono[1]);
}

TEST_CASE("dsp: reverb outputs no subnormal after a loud passage and 10 s of silence") {
  volatile float smallest = 1e-30f;
  REQUIRE(smallest * 1e-10f != 0.0f);  // flush-to-zero is off: subnormals would show
  const double sampleRate = 44100.0;
  for (const double mix : {1.0, 1e-6}) {
    ReverbProcessor::Params params = paramsWith(0.1, 0.0, 1.0);
    params.mix = mix;
    std::vector<float> input = makeNoise(static_cast<std::size_t>(11 * sampleRate), 1.0, 10);
    std::fill(input.begin() + static_cast<std::ptrdiff_t>(sampleRate), input.end(), 0.0f);
    ReverbProcessor reverb(params);
    const Channels output = processChannels(reverb, sampleRate, {input, input}, {}, 11);
    for (const auto& channel : output) {
      CHECK(std::none_of(channel.begin(), channel.end(), [](float x) { return std::fpclassify(x) == FP_SUBNORMAL; }));
      CHECK(channel.back() == 0.0f);
    }
  }
}

TEST_CASE("dsp: reverb reset returns to the initial state") {
  const double sampleRate = 48000.0;
  const Channels input = {makeNoise(24000, 0.5, 12), makeNoise(24000, 0.5, 13)};
  ReverbProcessor reverb{ReverbProcessor::Params{}};
  const Channels first = processChannels(reverb, sampleRate, input);
  reverb.reset();
  CHECK(processChannels(reverb, sampleRate, input, {}, 0, test::PrepareFirst::No) == first);
}

TEST_CASE("dsp: reverb tail covers its decay to -96 dB") {
  const double sampleRate = 48000.0;
  for (const double decayS : {0.3, 1.8}) {
    ReverbProcessor::Params params = paramsWith(decayS, 1.0, 0.0);
    params.predelayMs = 50.0;
    ReverbProcessor reverb(params);
    reverb.prepare({sampleRate, 1024, 2});
    const auto tailFrames = static_cast<std::size_t>(reverb.tailFrames());
    // The network alone needs 96 / 60 decay_s; the tail adds the predelay and diffusion.
    CHECK(static_cast<double>(tailFrames) >= (1.6 * decayS + 0.05) * sampleRate);
    const Channels ir = impulseResponse(params, sampleRate, static_cast<double>(tailFrames) / sampleRate + 0.5);
    for (const auto& channel : ir) {
      const float latest = *std::max_element(channel.begin() + static_cast<std::ptrdiff_t>(tailFrames), channel.end(),
                                              [](float a, float b) { return std::abs(a) < std::abs(b); });
      MESSAGE("decay " << decayS << " s: tail " << static_cast<double>(tailFrames) / sampleRate << " s, after it "
                       << test::amplitudeToDb(std::abs(latest)) << " dB re the unit impulse");
      CHECK(std::abs(latest) < test::dbToAmplitude(-96.0));
    }
  }
}
