// The convolution processor against direct convolution computed here in double,
// and against its documented latency, predelay, mix, normalisation, channel
// mapping and resampling of IRs recorded at another rate.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "mixdown/dsp/convolution.h"
#include "support/direct_convolution.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

using namespace mixdown;
using namespace mixdown::dsp;
using namespace mixdown::test;

namespace {

constexpr double kMaxErrorDb = -110.0;  // acceptance bound: max |out - ref| / max |ref|

ConvolutionProcessor::Params rawParams(Channels impulseResponse, double rateHz = 48000.0) {
  ConvolutionProcessor::Params params;
  params.impulseResponse = std::move(impulseResponse);
  params.impulseResponseRateHz = rateHz;
  params.normalize = false;
  return params;
}

/** noiseFrames of seeded noise followed by silence, frames in all. */
std::vector<float> noiseBurst(std::size_t noiseFrames, std::size_t frames, unsigned seed) {
  std::vector<float> samples = makeNoise(noiseFrames, 1.0, seed);
  samples.resize(frames, 0.0f);
  return samples;
}

/** 20 log10(max |output[n + latency] - reference[n]| / max |reference|); output before latency must be 0. */
double relativeErrorDb(const std::vector<float>& output, const std::vector<double>& reference, std::size_t latency) {
  double worst = 0.0, peak = 0.0;
  for (std::size_t n = 0; n < latency && n < output.size(); ++n)
    worst = std::max(worst, std::abs(static_cast<double>(output[n])));
  for (std::size_t n = 0; n + latency < output.size() && n < reference.size(); ++n) {
    peak = std::max(peak, std::abs(reference[n]));
    worst = std::max(worst, std::abs(output[n + latency] - reference[n]));
  }
  return amplitudeToDb(worst / peak);
}

std::vector<float> unitImpulse(std::size_t frames) {
  std::vector<float> samples(frames, 0.0f);
  samples[0] = 1.0f;
  return samples;
}

/** |sum_n h[n] exp(-j 2 pi f n / fs)| in dB. */
double magnitudeDb(const std::vector<float>& response, double frequencyHz, double sampleRate) {
  std::complex<double> sum = 0.0;
  for (std::size_t n = 0; n < response.size(); ++n)
    sum += static_cast<double>(response[n]) *
           std::polar(1.0, -2.0 * std::numbers::pi * frequencyHz * static_cast<double>(n) / sampleRate);
  return amplitudeToDb(std::abs(sum));
}

double energyOf(const std::vector<float>& samples) {
  double sum = 0.0;
  for (const float x : samples) sum += static_cast<double>(x) * x;
  return sum;
}

}  // namespace

TEST_CASE("dsp: convolution equals direct convolution for IRs of 1 to 100000 frames in random block splits") {
  const double sampleRate = 48000.0;
  const std::size_t noiseFrames = 2000;  // the direct sum costs noiseFrames x IR frames
  for (const std::size_t irFrames : {1u, 2u, 63u, 64u, 65u, 1000u, 4097u, 8191u, 8192u, 8193u, 100000u}) {
    const std::vector<float> impulseResponse = decayingNoise(irFrames, 101);
    ConvolutionProcessor convolution(rawParams({impulseResponse}));
    convolution.prepare({sampleRate, 1024, 1});
    const auto latency = static_cast<std::size_t>(convolution.latencyFrames());
    CHECK(latency <= static_cast<std::size_t>(ConvolutionProcessor::kMaxPartitionFramesAt48kHz));
    CHECK(convolution.tailFrames() == static_cast<int>(irFrames));
    const std::vector<float> input = noiseBurst(noiseFrames, noiseFrames + irFrames + latency, 102);
    const std::vector<double> reference = directConvolution(input, impulseResponse, input.size());
    const Channels output = processChannels(convolution, sampleRate, {input}, {}, 103);
    const double errorDb = relativeErrorDb(output[0], reference, latency);
    INFO("IR frames " << irFrames << ", latency " << latency << ": error " << errorDb << " dB");
    CHECK(errorDb <= kMaxErrorDb);
  }
}

TEST_CASE("dsp: convolution partitions are at most about 170 ms at any rate") {
  for (const double sampleRate : {44100.0, 48000.0})
    CHECK(ConvolutionProcessor::maxPartitionFrames(sampleRate) == 8192);
  for (const double sampleRate : {88200.0, 96000.0})
    CHECK(ConvolutionProcessor::maxPartitionFrames(sampleRate) == 16384);
  for (const double sampleRate : {176400.0, 192000.0})
    CHECK(ConvolutionProcessor::maxPartitionFrames(sampleRate) == 32768);
  ConvolutionProcessor convolution(rawParams({std::vector<float>(200000, 0.5f)}, 96000.0));
  convolution.prepare({96000.0, 1024, 1});
  CHECK(convolution.partitionFrames() == 16384);
  CHECK(convolution.latencyFrames() == 16384);
}

TEST_CASE("dsp: convolution maps mono and stereo inputs and IRs to channels as documented") {
  const double sampleRate = 44100.0;
  const std::vector<float> left = decayingNoise(700, 111), right = decayingNoise(700, 112);
  const std::vector<float> inputLeft = noiseBurst(3000, 12000, 113), inputRight = noiseBurst(3000, 12000, 114);
  struct Case {
    Channels impulseResponse;
    Channels input;  // as process() sees it: a mono input made stereo arrives copied into both channels
    int inputChannels;
    Channels expectedPairs;  // per output channel: its input, then its IR
  };
  const std::vector<Case> cases{
      {{left}, {inputLeft}, 1, {inputLeft, left}},
      {{left, right}, {inputLeft, inputLeft}, 1, {inputLeft, left, inputLeft, right}},
      {{left}, {inputLeft, inputRight}, 2, {inputLeft, left, inputRight, left}},
      {{left, right}, {inputLeft, inputRight}, 2, {inputLeft, left, inputRight, right}},
  };
  for (const Case& mapping : cases) {
    ConvolutionProcessor convolution(rawParams(mapping.impulseResponse, sampleRate));
    CHECK(convolution.properties(mapping.inputChannels).outputChannels == static_cast<int>(mapping.input.size()));
    const Channels output = processChannels(convolution, sampleRate, mapping.input, {}, 115);
    REQUIRE(output.size() * 2 == mapping.expectedPairs.size());
    for (std::size_t c = 0; c < output.size(); ++c) {
      const auto reference = directConvolution(mapping.expectedPairs[2 * c], mapping.expectedPairs[2 * c + 1], 12000);
      const double errorDb = relativeErrorDb(output[c], reference, static_cast<std::size_t>(convolution.latencyFrames()));
      INFO("IR channels " << mapping.impulseResponse.size() << ", input channels " << mapping.inputChannels
                          << ", output channel " << c << ": error " << errorDb << " dB");
      CHECK(errorDb <= kMaxErrorDb);
    }
  }
}

TEST_CASE("dsp: convolution predelay delays the wet signal by round(predelay_ms fs / 1000) frames") {
  for (const double sampleRate : {44100.0, 48000.0, 96000.0})
    for (const double predelayMs : {0.5, 10.01, 123.4, 1000.0}) {
      auto params = rawParams({{1.0f}}, sampleRate);
      params.predelayMs = predelayMs;
      ConvolutionProcessor convolution(params);
      convolution.prepare({sampleRate, 1024, 1});
      const auto predelay = static_cast<std::size_t>(std::lround(predelayMs * sampleRate / 1000.0));
      const auto latency = static_cast<std::size_t>(convolution.latencyFrames());
      CHECK(convolution.tailFrames() == static_cast<int>(predelay + 1));
      const Channels output = processChannels(convolution, sampleRate, {unitImpulse(latency + predelay + 100)}, {}, 121);
      for (std::size_t n = 0; n < output[0].size(); ++n)
        CHECK(std::abs(output[0][n] - (n == latency + predelay ? 1.0 : 0.0)) <= 1e-6);
    }
}

TEST_CASE("dsp: convolution mix 0 is the input delayed by the latency exactly and mix blends dry and wet") {
  const double sampleRate = 48000.0;
  const Channels impulseResponse{decayingNoise(3000, 131), decayingNoise(3000, 132)};
  const Channels input{makeNoise(20000, 1.0, 133), makeNoise(20000, 0.5, 134)};
  auto params = rawParams(impulseResponse);
  params.predelayMs = 3.0;
  params.mix = 0.0;
  ConvolutionProcessor dry(params);
  const Channels dryOutput = processChannels(dry, sampleRate, input, {}, 135);
  const auto latency = static_cast<std::size_t>(dry.latencyFrames());
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t n = 0; n < input[c].size(); ++n)
      REQUIRE(dryOutput[c][n] == (n < latency ? 0.0f : input[c][n - latency]));
  params.mix = 1.0;
  ConvolutionProcessor wet(params);
  const Channels wetOutput = processChannels(wet, sampleRate, input, {}, 136);
  params.mix = 0.3;
  ConvolutionProcessor blend(params);
  const Channels blendOutput = processChannels(blend, sampleRate, input, {}, 137);
  CHECK(blend.latencyFrames() == dry.latencyFrames());
  double worst = 0.0;
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t n = 0; n < input[c].size(); ++n)
      worst = std::max(worst, std::abs(blendOutput[c][n] - (0.7 * dryOutput[c][n] + 0.3 * wetOutput[c][n])));
  INFO("worst blend difference " << worst);
  CHECK(worst <= 1e-5);
}

TEST_CASE("dsp: convolution normalize scales the IR to unit mean energy per channel at the session rate") {
  const Channels impulseResponse{decayingNoise(5000, 141), decayingNoise(5000, 142, 30.0)};
  for (const double irRate : {48000.0, 44100.0})
    for (const std::size_t irChannels : {1u, 2u}) {
      auto params = rawParams(Channels(impulseResponse.begin(), impulseResponse.begin() + static_cast<long>(irChannels)), irRate);
      params.normalize = true;
      ConvolutionProcessor convolution(params);
      convolution.prepare({48000.0, 1024, 2});
      const auto latency = static_cast<std::size_t>(convolution.latencyFrames());
      const std::vector<float> impulse = unitImpulse(latency + static_cast<std::size_t>(convolution.tailFrames()));
      const Channels output = processChannels(convolution, 48000.0, {impulse, impulse}, {}, 143);
      // A mono IR feeds both channels; its energy is the mean over the IR's own channels.
      const double meanEnergy =
          irChannels == 2 ? (energyOf(output[0]) + energyOf(output[1])) / 2.0 : energyOf(output[0]);
      INFO("IR rate " << irRate << ", IR channels " << irChannels << ": mean energy " << meanEnergy);
      CHECK(meanEnergy == doctest::Approx(1.0).epsilon(1e-5));
      if (irRate == 48000.0) {
        double sum = 0.0;
        for (std::size_t c = 0; c < irChannels; ++c) sum += energyOf(impulseResponse[c]);
        CHECK(convolution.normalizationGain() == doctest::Approx(1.0 / std::sqrt(sum / static_cast<double>(irChannels))));
      }
    }
}

TEST_CASE("dsp: convolution resamples an IR at another rate with a flat response and exact timing") {
  struct Rates {
    double irRate, sessionRate;
    int offsetFrames;  // documented alignment D: the padding of soxr's ringing, in session frames
  };
  for (const Rates rates : {Rates{44100.0, 48000.0, 160}, Rates{48000.0, 44100.0, 147}, Rates{96000.0, 44100.0, 147}}) {
    ConvolutionProcessor convolution(rawParams({{1.0f}}, rates.irRate));
    convolution.prepare({rates.sessionRate, 1024, 1});
    CHECK(convolution.latencyFrames() - convolution.partitionFrames() == rates.offsetFrames);
    // The response to a unit impulse: flat up to 0.45 of the lower rate (soxr's passband).
    const auto latency = static_cast<std::size_t>(convolution.latencyFrames());
    const Channels response = processChannels(
        convolution, rates.sessionRate, {unitImpulse(latency + static_cast<std::size_t>(convolution.tailFrames()))}, {}, 151);
    const std::vector<float> wet(response[0].begin() + static_cast<long>(latency - static_cast<std::size_t>(rates.offsetFrames)),
                                 response[0].end());
    const double edgeHz = 0.45 * std::min(rates.irRate, rates.sessionRate);
    double worstDb = 0.0;
    for (double frequencyHz = 20.0; frequencyHz <= edgeHz; frequencyHz *= 1.1)
      worstDb = std::max(worstDb, std::abs(magnitudeDb(wet, frequencyHz, rates.sessionRate)));
    INFO(rates.irRate << " Hz IR at " << rates.sessionRate << " Hz: worst deviation " << worstDb << " dB up to " << edgeHz << " Hz");
    CHECK(worstDb <= 0.01);
    // A 10 kHz sine keeps its level and its phase once the latency is compensated
    // (one frame of error would turn it by 2 pi 10000 / fs, over 1.3 rad).
    const double frequencyHz = 10000.0;
    const auto frames = static_cast<std::size_t>(rates.sessionRate / 4);
    convolution.reset();
    const Channels output = processChannels(convolution, rates.sessionRate,
                                            {makeSine(frequencyHz, rates.sessionRate, frames, 0.5)}, {}, 152,
                                            PrepareFirst::No);
    const SineFit fit = fitSine(output[0], frames / 2, frames / 2, frequencyHz, rates.sessionRate);
    const double expectedPhase = -2.0 * std::numbers::pi * frequencyHz * static_cast<double>(latency) / rates.sessionRate;
    INFO("sine level " << amplitudeToDb(fit.amplitude / 0.5) << " dB, phase error "
                       << angleDifference(fit.phaseRad, expectedPhase) << " rad");
    CHECK(std::abs(amplitudeToDb(fit.amplitude / 0.5)) <= 0.01);
    CHECK(std::abs(angleDifference(fit.phaseRad, expectedPhase)) <= 1e-3);
  }
}

TEST_CASE("dsp: convolution output is independent of the block split and repeats after reset") {
  const Channels impulseResponse{decayingNoise(3000, 161), decayingNoise(3000, 162)};
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    auto params = rawParams(impulseResponse);  // resampled at 44.1 and 96 kHz
    params.normalize = true, params.mix = 0.6, params.predelayMs = 5.0;
    const auto frames = static_cast<std::size_t>(0.5 * sampleRate);
    const Channels input{makeNoise(frames, 1.0, 163), makeNoise(frames, 0.5, 164)};
    ConvolutionProcessor whole(params), split(params);
    const Channels expected = processChannels(whole, sampleRate, input, {}, 0);
    CHECK(processChannels(split, sampleRate, input, {}, 165) == expected);
    split.reset();
    CHECK(processChannels(split, sampleRate, input, {}, 166, PrepareFirst::No) == expected);
  }
}

TEST_CASE("dsp: convolution outputs no subnormal while an IR decaying below the float range rings out") {
  // The IR falls by 900 dB over 20000 frames: its tail and the wet signal pass through
  // the subnormal range (below 1.2e-38, -758 dB) on the way to 0.
  const double sampleRate = 44100.0;
  auto params = rawParams({decayingNoise(20000, 171, 900.0)}, sampleRate);
  params.mix = 0.5;
  ConvolutionProcessor convolution(params);
  std::vector<float> input = makeNoise(60000, 1.0, 172);
  std::fill(input.begin() + 10000, input.end(), 0.0f);
  const Channels output = processChannels(convolution, sampleRate, {input, input}, {}, 173);
  for (const auto& channel : output)
    CHECK(std::none_of(channel.begin(), channel.end(), [](float x) { return std::fpclassify(x) == FP_SUBNORMAL; }));
}

TEST_CASE("dsp: convolution rejects an IR without frames, with more than two channels, ragged channels or no rate") {
  CHECK_THROWS_AS(ConvolutionProcessor(rawParams({})), std::invalid_argument);
  CHECK_THROWS_AS(ConvolutionProcessor(rawParams({{}})), std::invalid_argument);
  CHECK_THROWS_AS(ConvolutionProcessor(rawParams({{1.0f}, {1.0f}, {1.0f}})), std::invalid_argument);
  CHECK_THROWS_AS(ConvolutionProcessor(rawParams({{1.0f, 0.5f}, {1.0f}})), std::invalid_argument);
  CHECK_THROWS_AS(ConvolutionProcessor(rawParams({{1.0f}}, 0.0)), std::invalid_argument);
}
