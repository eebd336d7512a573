// BiquadCascadeLanes against plain Biquad cascades: every lane computes the
// scalar filter's bits, whatever the other lanes hold, the block split or the
// instruction set; decayed state is flushed to exact zeros.

#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <random>
#include <vector>

#include "mixdown/dsp/biquad.h"
#include "mixdown/dsp/biquad_lanes.h"
#include "support/test_signals.h"

using namespace mixdown;
using namespace mixdown::dsp;

using mixdown::test::sameBits;

namespace {

constexpr double kRate = 48000.0;

/** sections random cookbook sections (stable by construction), seeded. */
std::vector<BiquadCoefficients> randomCascade(int sections, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> logFrequency(std::log(30.0), std::log(18000.0));
  std::uniform_real_distribution<double> q(0.3, 4.0), gain(-12.0, 12.0);
  const BiquadShape shapes[] = {BiquadShape::Peak,     BiquadShape::LowShelf, BiquadShape::HighShelf,
                                BiquadShape::Highpass, BiquadShape::Lowpass,  BiquadShape::Notch};
  std::vector<BiquadCoefficients> cascade;
  for (int section = 0; section < sections; ++section)
    cascade.push_back(designRbj(shapes[random() % 6], std::exp(logFrequency(random)), q(random), gain(random), kRate));
  return cascade;
}

/** Noise at about -12 dBFS with stretches of exact silence (so decays are flushed), seeded. */
std::vector<float> noiseWithSilences(int frames, unsigned seed, bool silences) {
  std::mt19937 random(seed);
  std::normal_distribution<float> noise(0.0f, 0.25f);
  std::vector<float> samples(static_cast<size_t>(frames));
  for (int frame = 0; frame < frames; ++frame) {
    const bool silent = silences && (frame / 3000 + static_cast<int>(seed)) % 3 == 0;
    samples[static_cast<size_t>(frame)] = silent ? 0.0f : noise(random);
  }
  return samples;
}

/** The cascade through Biquad::processSample, output written as the lanes write it (no tiny values occur). */
std::vector<float> scalarCascade(const std::vector<BiquadCoefficients>& cascade, const std::vector<float>& input) {
  std::vector<Biquad> sections(cascade.size());
  for (size_t index = 0; index < cascade.size(); ++index) sections[index].setCoefficients(cascade[index]);
  std::vector<float> output;
  for (float sample : input) {
    double value = sample;
    for (Biquad& section : sections) value = section.processSample(0, value);
    REQUIRE(std::abs(value) >= kQuietLevel);
    output.push_back(static_cast<float>(value));
  }
  return output;
}

/** lanes[l] filtered by cascades[l] in one BiquadCascadeLanes, in blocks of random length (seeded). */
std::vector<std::vector<float>> laneCascade(const std::vector<std::vector<BiquadCoefficients>>& cascades,
                                            std::vector<std::vector<float>> lanes, unsigned splitSeed) {
  BiquadCascadeLanes filter;
  filter.prepare(static_cast<int>(lanes.size()), static_cast<int>(cascades.front().size()));
  for (size_t lane = 0; lane < lanes.size(); ++lane)
    for (size_t section = 0; section < cascades[lane].size(); ++section)
      filter.setCoefficients(static_cast<int>(lane), static_cast<int>(section), cascades[lane][section]);
  std::mt19937 random(splitSeed);
  const auto frames = static_cast<int>(lanes.front().size());
  for (int start = 0; start < frames;) {
    const int count = std::min(frames - start, 1 + static_cast<int>(random() % 700));
    float* pointers[kLanes] = {};
    for (size_t lane = 0; lane < lanes.size(); ++lane) pointers[lane] = lanes[lane].data() + start;
    filter.process(pointers, count);
    start += count;
  }
  return lanes;
}

/** kLanes random cascades of `sections` sections (seeded cascadeSeed + lane) and their inputs, input(lane). */
struct LaneSetup {
  std::vector<std::vector<BiquadCoefficients>> cascades;
  std::vector<std::vector<float>> inputs;
};

template <typename Input>
LaneSetup laneSetup(int sections, unsigned cascadeSeed, Input input) {
  LaneSetup setup;
  for (int lane = 0; lane < kLanes; ++lane) {
    setup.cascades.push_back(randomCascade(sections, cascadeSeed + static_cast<unsigned>(lane)));
    setup.inputs.push_back(input(lane));
  }
  return setup;
}

}  // namespace

TEST_CASE("dsp: biquad lanes filter every lane bit for bit as a scalar Biquad cascade, 1 to 11 sections") {
  constexpr int kFrames = 20000;
  for (int sections = 1; sections <= 11; ++sections) {
    const auto [cascades, inputs] = laneSetup(sections, static_cast<unsigned>(100 * sections), [&](int lane) {
      return noiseWithSilences(kFrames, static_cast<unsigned>(7 * sections + lane), false);
    });
    const auto outputs = laneCascade(cascades, inputs, static_cast<unsigned>(sections));
    for (int lane = 0; lane < kLanes; ++lane) {
      INFO("sections " << sections << ", lane " << lane);
      CHECK(sameBits(outputs[static_cast<size_t>(lane)], scalarCascade(cascades[static_cast<size_t>(lane)], inputs[static_cast<size_t>(lane)])));
    }
  }
}

TEST_CASE("dsp: a biquad lane's output does not depend on the other lanes, their silences or the block split") {
  constexpr int kFrames = 60000;
  for (int sections : {3, 4, 9}) {
    const auto [cascades, inputs] = laneSetup(sections, static_cast<unsigned>(31 * sections), [&](int lane) {
      return noiseWithSilences(kFrames, static_cast<unsigned>(lane), true);  // silences at other times per lane
    });
    const auto together = laneCascade(cascades, inputs, 1);
    for (int lane = 0; lane < kLanes; ++lane) {
      INFO("sections " << sections << ", lane " << lane);
      const auto alone = laneCascade({cascades[static_cast<size_t>(lane)]}, {inputs[static_cast<size_t>(lane)]}, 2);
      CHECK(sameBits(together[static_cast<size_t>(lane)], alone.front()));
    }
  }
}

TEST_CASE("dsp: biquad lanes give the same bits in their AVX2 and baseline builds") {
  constexpr int kFrames = 40000;
  std::vector<std::vector<BiquadCoefficients>> cascades;
  std::vector<std::vector<float>> inputs;
  for (int lane = 0; lane < 3; ++lane) {
    cascades.push_back(randomCascade(5, static_cast<unsigned>(lane + 50)));
    inputs.push_back(noiseWithSilences(kFrames, static_cast<unsigned>(lane + 4), true));
  }
  const bool wasBaseline = useBaselineLaneKernels(false);
  if (!laneKernelsUseAvx2()) MESSAGE("this CPU has no AVX2: both runs use the baseline build");
  const auto native = laneCascade(cascades, inputs, 3);
  useBaselineLaneKernels(true);
  CHECK_FALSE(laneKernelsUseAvx2());
  const auto baseline = laneCascade(cascades, inputs, 3);
  useBaselineLaneKernels(wasBaseline);
  for (size_t lane = 0; lane < inputs.size(); ++lane) CHECK(sameBits(native[lane], baseline[lane]));
}

TEST_CASE("dsp: biquad lanes flush a decayed state: silence after a signal ends in exact zeros, never subnormal") {
  constexpr int kFrames = 96000;
  std::vector<std::vector<BiquadCoefficients>> cascades;
  std::vector<std::vector<float>> inputs;
  for (int lane = 0; lane < 2; ++lane) {
    cascades.push_back({designRbj(BiquadShape::Highpass, 80.0 + 40.0 * lane, 0.7071, 0.0, kRate),
                        designRbj(BiquadShape::Peak, 250.0, 1.0, -3.0, kRate),
                        designRbj(BiquadShape::Peak, 2500.0, 1.4, 2.0, kRate),
                        designRbj(BiquadShape::HighShelf, 8000.0, 0.707, 1.5, kRate)});
    std::vector<float> input = noiseWithSilences(kFrames, static_cast<unsigned>(lane + 1), false);
    std::fill(input.begin() + 4800 * (lane + 1), input.end(), 0.0f);  // the signal stops at 0.1 s and 0.2 s
    inputs.push_back(std::move(input));
  }
  const auto outputs = laneCascade(cascades, inputs, 5);
  for (const auto& output : outputs) {
    for (float sample : output) CHECK((sample == 0.0f || std::abs(sample) >= FLT_MIN));
    // -600 dB of decay takes about 0.2 s at these corners (the slowest: an 80 Hz highpass); 1.7 s remain.
    CHECK(std::all_of(output.end() - 48000, output.end(), [](float sample) { return sample == 0.0f; }));
  }
}

namespace {

/**
 * The flush as biquad_lanes.h states it, one lane, one frame at a time: while
 * the cascade's input is below kQuietLevel, each section counts the frames in
 * a row whose input and output are both below it (restarting when a quiet run
 * begins), and zeroes its state on the kQuietFramesToFlush-th; outputs below
 * it are written as 0.
 */
std::vector<float> flushingCascade(const std::vector<BiquadCoefficients>& cascade, const std::vector<float>& input) {
  constexpr double kTiny = kQuietLevel;
  struct Section {
    double s1 = 0.0, s2 = 0.0;
    int quietFrames = 0;
  };
  std::vector<Section> sections(cascade.size());
  std::vector<float> output;
  bool wasQuiet = false;
  for (float sample : input) {
    const bool quiet = std::abs(sample) < kTiny;
    if (quiet && !wasQuiet)
      for (Section& section : sections) section.quietFrames = 0;
    double value = sample;
    for (size_t index = 0; index < cascade.size(); ++index) {
      const BiquadCoefficients& c = cascade[index];
      Section& section = sections[index];
      const double out = c.b0 * value + section.s1;
      section.s1 = c.b1 * value - c.a1 * out + section.s2;
      section.s2 = c.b2 * value - c.a2 * out;
      if (quiet) {
        const bool bothQuiet = std::abs(value) < kTiny && std::abs(out) < kTiny;
        section.quietFrames = bothQuiet ? std::min(section.quietFrames + 1, static_cast<int>(kQuietFramesToFlush)) : 0;
        if (section.quietFrames == static_cast<int>(kQuietFramesToFlush)) section.s1 = section.s2 = 0.0;
      }
      value = out;
    }
    output.push_back(std::abs(value) < kTiny ? 0.0f : static_cast<float>(value));
    wasQuiet = quiet;
  }
  return output;
}

/**
 * Noise whose level steps, per stretch of `stretch` frames, through 1e-26
 * (whose decay crosses kQuietLevel within a stretch), exact silence, 1e-33
 * (quiet but never exactly 0), silence, and -12 dBFS; lanes start at other
 * steps.
 */
std::vector<float> nearTinyNoise(int frames, int stretch, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  const float levels[] = {1e-26f, 0.0f, 1e-33f, 0.0f, 0.25f};
  std::vector<float> samples(static_cast<size_t>(frames));
  for (int frame = 0; frame < frames; ++frame)
    samples[static_cast<size_t>(frame)] = levels[(frame / stretch + static_cast<int>(seed)) % 5] * noise(random);
  return samples;
}

}  // namespace

TEST_CASE("dsp: biquad lanes flush each lane's sections exactly when the stated rule says, near kQuietLevel too") {
  // A flush made a frame early or late, or not at all, shows in the low bits of the 1e-26 noise that
  // follows; a lane whose sections stay flushed in silence must come out of it as the rule says.
  constexpr int kFrames = 90000;
  for (int sections : {2, 4, 10}) {
    const auto [cascades, inputs] = laneSetup(sections, static_cast<unsigned>(17 * sections), [&](int lane) {
      return nearTinyNoise(kFrames, 1500 + 700 * lane, static_cast<unsigned>(lane));
    });
    for (unsigned split : {1u, 9u}) {
      const auto outputs = laneCascade(cascades, inputs, split);
      for (int lane = 0; lane < kLanes; ++lane) {
        INFO("sections " << sections << ", lane " << lane << ", split " << split);
        const auto expected = flushingCascade(cascades[static_cast<size_t>(lane)], inputs[static_cast<size_t>(lane)]);
        CHECK(sameBits(outputs[static_cast<size_t>(lane)], expected));
      }
    }
  }
}
