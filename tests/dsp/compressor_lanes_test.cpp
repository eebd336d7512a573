// CompressorLanes against CompressorProcessor's scalar path: every lane gives
// the bits of the track's own compressor (mono and stereo, peak and RMS, hard
// and soft knee, makeup and mix), in either instruction-set build, and reports
// the same largest gain reduction; so does a lone compressor, which runs as a
// single lane.

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "mixdown/dsp/compressor.h"
#include "mixdown/dsp/compressor_lanes.h"
#include "mixdown/dsp/lane_batch.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

using namespace mixdown;
using namespace mixdown::dsp;
using namespace mixdown::test;

namespace {

constexpr double kRate = 48000.0;
constexpr int kFrames = 48000;

/** Noise bursts whose level steps between -40 and 0 dBFS every 0.1 s, with stretches of silence; seeded. */
Channels burstSignal(int channels, unsigned seed) {
  Channels signal;
  for (int channel = 0; channel < channels; ++channel) {
    std::vector<float> noise = makeNoise(kFrames, 1.0, seed * 7 + static_cast<unsigned>(channel));
    for (int frame = 0; frame < kFrames; ++frame) {
      const int step = (frame / 4800 + static_cast<int>(seed)) % 6;
      noise[static_cast<size_t>(frame)] *= step == 5 ? 0.0f : static_cast<float>(std::pow(10.0, -8.0 * step / 20.0));
    }
    signal.push_back(std::move(noise));
  }
  return signal;
}

CompressorProcessor::Params randomParams(std::mt19937& random, DetectorMode detector) {
  std::uniform_real_distribution<double> threshold(-36.0, -6.0), ratio(1.0, 10.0), attack(0.0, 30.0),
      release(5.0, 300.0), knee(0.0, 12.0), makeup(-3.0, 9.0), mix(0.3, 1.0);
  CompressorProcessor::Params params;
  params.thresholdDb = threshold(random);
  params.ratio = ratio(random);
  params.attackMs = random() % 4 == 0 ? 0.0 : attack(random);
  params.releaseMs = release(random);
  params.kneeDb = random() % 3 == 0 ? 0.0 : knee(random);
  params.makeupDb = makeup(random);
  params.mix = random() % 2 == 0 ? 1.0 : mix(random);
  params.detector = detector;
  return params;
}

}  // namespace

TEST_CASE("dsp: compressor lanes give each track its own compressor's bits and largest gain reduction") {
  std::mt19937 random(11);
  for (const DetectorMode detector : {DetectorMode::Peak, DetectorMode::Rms}) {
    for (int trial = 0; trial < 6; ++trial) {
      // 1 to 4 tracks, mono or stereo (a lane group holds up to 4 tracks, whatever their channels).
      std::vector<int> channels(1 + random() % kLanes);
      for (int& count : channels) count = 1 + static_cast<int>(random() % 2);
      std::vector<Channels> inputs, expected;
      std::vector<double> expectedReduction;
      std::vector<CompressorProcessor::Params> settings;
      for (size_t track = 0; track < channels.size(); ++track) {
        inputs.push_back(burstSignal(channels[track], static_cast<unsigned>(trial * 10) + static_cast<unsigned>(track)));
        // The reference: the scalar path, which a compressor takes when a key is routed to it (here a copy
        // of its own input, so it computes what a self-keyed compressor does).
        CompressorProcessor own(randomParams(random, detector));
        expected.push_back(processChannels(own, kRate, inputs.back(), inputs.back()));
        expectedReduction.push_back(own.maxGainReductionDb());
        // A compressor alone, unkeyed, runs as one lane: the same bits and reduction.
        CompressorProcessor alone(own.params());
        CHECK(processChannels(alone, kRate, inputs.back(), {}, static_cast<unsigned>(track + 3)) == expected.back());
        CHECK(alone.maxGainReductionDb() == expectedReduction.back());
        settings.push_back(own.params());
      }
      for (const bool baseline : {false, true}) {
        INFO((detector == DetectorMode::Rms ? "rms" : "peak") << ", trial " << trial << ", baseline build " << baseline);
        const bool wasBaseline = useBaselineLaneKernels(baseline);
        // A batch of prepared compressors, through the contract: each offers the same kind.
        std::vector<LaneBatchMember> members;
        for (size_t track = 0; track < channels.size(); ++track) {
          auto fresh = std::make_unique<CompressorProcessor>(settings[track]);
          fresh->prepare({kRate, 1024, channels[track]});
          const std::optional<LaneBatchOffer> offer = fresh->laneBatchOffer(channels[track]);
          REQUIRE(offer);
          CHECK(offer->kind == (detector == DetectorMode::Rms ? "compressor/rms" : "compressor/peak"));
          members.push_back({std::move(fresh), channels[track]});
        }
        const std::unique_ptr<LaneBatch> compressors = makeLaneBatch(std::move(members));
        // Each track planar in one buffer (channel c at c * kFrames), as the graph holds it.
        std::vector<std::vector<float>> planar;
        for (const Channels& input : inputs) {
          planar.emplace_back();
          for (const std::vector<float>& channel : input) planar.back().insert(planar.back().end(), channel.begin(), channel.end());
        }
        const std::vector<int> blocks = randomBlockSizes(static_cast<unsigned>(trial + 1), 1024, 400);
        for (size_t start = 0, block = 0; start < static_cast<size_t>(kFrames); start += static_cast<size_t>(blocks[block++])) {
          const int frames = std::min(blocks[block], kFrames - static_cast<int>(start));
          std::vector<AudioBlock> views;
          for (size_t track = 0; track < planar.size(); ++track)
            views.emplace_back(planar[track].data() + start, channels[track], frames, kFrames);
          compressors->process(views);
        }
        std::vector<Channels> outputs;
        for (size_t track = 0; track < planar.size(); ++track) {
          outputs.emplace_back();
          for (int channel = 0; channel < channels[track]; ++channel)
            outputs.back().emplace_back(planar[track].begin() + channel * kFrames, planar[track].begin() + (channel + 1) * kFrames);
        }
        useBaselineLaneKernels(wasBaseline);
        for (size_t track = 0; track < channels.size(); ++track) {
          for (size_t channel = 0; channel < outputs[track].size(); ++channel)
            CHECK(sameBits(outputs[track][channel], expected[track][channel]));
          REQUIRE(compressors->gainReductionMeter(static_cast<int>(track)) != nullptr);
          CHECK(compressors->gainReductionMeter(static_cast<int>(track))->maxGainReductionDb() == expectedReduction[track]);
          CHECK(expectedReduction[track] > 0.5);
        }
      }
    }
  }
}

TEST_CASE("dsp: a compressor with a key highpass or lookahead, unprepared or retargeted offers no lane batch") {
  CompressorProcessor::Params params;
  CompressorProcessor plain(params);
  plain.prepare({kRate, 1024, 2});
  CHECK(plain.laneBatchOffer(1));
  CHECK(plain.laneBatchOffer(2));
  CHECK_FALSE(plain.laneBatchOffer(3));  // a lane keys on two channels at most
  params.keyHighpassHz = 100.0;
  CompressorProcessor filtered(params);
  filtered.prepare({kRate, 1024, 2});
  CHECK_FALSE(filtered.laneBatchOffer(2));
  params.keyHighpassHz.reset();
  params.lookaheadMs = 2.0;
  CompressorProcessor lookahead(params);
  lookahead.prepare({kRate, 1024, 2});
  CHECK_FALSE(lookahead.laneBatchOffer(2));
  CompressorProcessor unprepared(CompressorProcessor::Params{});
  CHECK_FALSE(unprepared.laneBatchOffer(2));
  CompressorProcessor retargeted(CompressorProcessor::Params{});
  retargeted.prepare({kRate, 1024, 2});
  retargeted.retarget(CompressorProcessor::Params{}, 32);
  CHECK_FALSE(retargeted.laneBatchOffer(2));
}

TEST_CASE("dsp: the lane group policy puts mono tracks first, at most kLanes to a group, none alone") {
  using Groups = std::vector<std::vector<int>>;
  CHECK(LaneGroupPolicy::groups(std::vector<int>{2, 1, 2, 1, 1}) == Groups{{1, 3, 4, 0}});
  CHECK(LaneGroupPolicy::groups(std::vector<int>{2, 2, 1, 1, 1, 2}) == Groups{{2, 3, 4, 0}, {1, 5}});
  CHECK(LaneGroupPolicy::groups(std::vector<int>{1}).empty());
  CHECK(LaneGroupPolicy::groups(std::vector<int>{}).empty());
}
