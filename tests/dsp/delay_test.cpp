// The `delay` processor against its defining equations: impulses return at the
// set time (frames, ms, beats) with the set feedback ratio, ping-pong
// alternates channels, the loop filters act once more on every repeat, and
// block splits do not change a sample.

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "mixdown/dsp/delay.h"
#include "mixdown/graph/processor_factory.h"
#include "support/processor_harness.h"

using namespace mixdown;
using namespace mixdown::dsp;
using namespace mixdown::test;

namespace {

Channels impulse(int channels, int frames) {
  Channels input(static_cast<size_t>(channels), std::vector<float>(static_cast<size_t>(frames), 0.0f));
  for (auto& channel : input) channel[0] = 1.0f;
  return input;
}

/** Frames of channel whose magnitude exceeds 1e-9, with their values. */
std::vector<std::pair<int, float>> nonZero(const std::vector<float>& channel) {
  std::vector<std::pair<int, float>> found;
  for (size_t frame = 0; frame < channel.size(); ++frame)
    if (std::abs(channel[frame]) > 1e-9f) found.emplace_back(static_cast<int>(frame), channel[frame]);
  return found;
}

/** Second-order section in double, coefficients from the RBJ cookbook (written out here, independently). */
struct ReferenceBiquad {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  static ReferenceBiquad pass(bool highpass, double frequencyHz, double sampleRate) {
    const double w0 = 2.0 * std::numbers::pi * frequencyHz / sampleRate;
    const double alpha = std::sin(w0) / (2.0 * (1.0 / std::sqrt(2.0)));
    const double c = std::cos(w0);
    const double a0 = 1.0 + alpha;
    ReferenceBiquad f;
    const double side = highpass ? (1.0 + c) / 2.0 : (1.0 - c) / 2.0;
    f.b0 = side / a0;
    f.b1 = (highpass ? -(1.0 + c) : 1.0 - c) / a0;
    f.b2 = side / a0;
    f.a1 = -2.0 * c / a0;
    f.a2 = (1.0 - alpha) / a0;
    return f;
  }
  double operator()(double x) {  // direct form I
    const double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1, x1 = x, y2 = y1, y1 = y;
    return y;
  }
};

}  // namespace

TEST_CASE("dsp: delay returns an impulse at the set time with the set feedback ratio at 44.1, 48 and 96 kHz") {
  for (const double rate : {44100.0, 48000.0, 96000.0})
    for (const double timeMs : {0.5, 10.3, 250.0, 375.0}) {
      const int delayFrames = static_cast<int>(std::llround(timeMs * rate / 1000.0));
      DelayProcessor delay({timeMs, 0.5, 1.0, false, std::nullopt, std::nullopt});
      const Channels output = processChannels(delay, rate, impulse(2, 5 * delayFrames + 1), {}, 3);
      for (const auto& channel : output) {
        const auto taps = nonZero(channel);
        REQUIRE(taps.size() == 5);
        for (int repeat = 1; repeat <= 5; ++repeat) {
          CHECK(taps[static_cast<size_t>(repeat - 1)].first == repeat * delayFrames);
          CHECK(taps[static_cast<size_t>(repeat - 1)].second == doctest::Approx(std::pow(0.5, repeat - 1)).epsilon(1e-6));
        }
      }
    }
}

TEST_CASE("dsp: delay time_beats follows the session tempo at 120 and 93 bpm") {
  struct Case {
    double bpm;
    double beats;
  };
  for (const Case c : {Case{120.0, 0.5}, Case{120.0, 0.75}, Case{93.0, 1.0}, Case{93.0, 0.25}})
    for (const double rate : {44100.0, 48000.0}) {
      session::Insert insert;
      insert.type = "delay";
      insert.parameters = {{"type", "delay"}, {"time_beats", c.beats}, {"feedback", 0.0}, {"mix", 1.0}};
      insert.tempo = session::Tempo{c.bpm, 4};
      auto delay = graph::makeProcessor(insert);
      // One beat lasts 60 / bpm seconds; the delay is that many frames, rounded to the nearest.
      const auto expected = static_cast<int>(std::llround(c.beats * 60.0 / c.bpm * rate));
      const Channels output = processChannels(*delay, rate, impulse(1, expected + 100), {}, 5);
      const auto taps = nonZero(output[0]);
      REQUIRE(taps.size() == 1);
      CHECK(taps[0].first == expected);
      CHECK(taps[0].second == 1.0f);
    }
}

TEST_CASE("dsp: delay time_ms of the factory is rounded to the nearest frame") {
  session::Insert insert;
  insert.type = "delay";
  insert.parameters = {{"type", "delay"}, {"time_ms", 10.01}, {"feedback", 0.0}, {"mix", 1.0}};
  auto delay = graph::makeProcessor(insert);
  const Channels output = processChannels(*delay, 48000.0, impulse(1, 1000), {}, 0);
  const auto taps = nonZero(output[0]);
  REQUIRE(taps.size() == 1);
  CHECK(taps[0].first == 480);  // 10.01 ms * 48 = 480.48 frames
}

TEST_CASE("dsp: delay ping-pong alternates left and right with the feedback ratio") {
  const double rate = 48000.0;
  const int delayFrames = 4800;
  DelayProcessor delay({100.0, 0.6, 1.0, true, std::nullopt, std::nullopt});
  CHECK(delay.properties(1).outputChannels == 2);
  CHECK(delay.properties(2).outputChannels == 2);
  // A mono source reaches the processor as two identical channels (the graph widens it).
  const Channels output = processChannels(delay, rate, impulse(2, 6 * delayFrames + 1), {}, 7);
  const auto left = nonZero(output[0]);
  const auto right = nonZero(output[1]);
  REQUIRE(left.size() == 3);
  REQUIRE(right.size() == 3);
  for (int repeat = 1; repeat <= 6; ++repeat) {
    const auto& taps = repeat % 2 == 1 ? left : right;
    const auto& tap = taps[static_cast<size_t>((repeat - 1) / 2)];
    CHECK(tap.first == repeat * delayFrames);
    CHECK(tap.second == doctest::Approx(std::pow(0.6, repeat - 1)).epsilon(1e-6));
  }
  // A stereo input feeds the loop with the average of its channels.
  Channels stereo = impulse(2, delayFrames + 1);
  stereo[1][0] = 0.0f;
  const Channels fromLeft = processChannels(delay, rate, stereo, {}, 0);
  CHECK(fromLeft[0][static_cast<size_t>(delayFrames)] == doctest::Approx(0.5).epsilon(1e-7));
}

TEST_CASE("dsp: delay filters act inside the loop, once more on every repeat") {
  for (const bool pingPong : {false, true})
    for (const double rate : {44100.0, 96000.0}) {
      const double timeMs = 5.0, feedback = 0.7, mix = 0.4, lowcutHz = 300.0, highcutHz = 3000.0;
      DelayProcessor delay({timeMs, feedback, mix, pingPong, lowcutHz, highcutHz});
      const int frames = static_cast<int>(rate * 0.3);
      const std::vector<float> source = makeNoise(static_cast<size_t>(frames), 0.5, 21);
      const Channels output = processChannels(delay, rate, {source, source}, {}, 9);

      // The defining equations, sample by sample in double.
      const auto delayFrames = static_cast<size_t>(std::llround(timeMs * rate / 1000.0));
      std::vector<ReferenceBiquad> lowcut(2, ReferenceBiquad::pass(true, lowcutHz, rate));
      std::vector<ReferenceBiquad> highcut(2, ReferenceBiquad::pass(false, highcutHz, rate));
      std::vector<std::vector<double>> loop(2, std::vector<double>(static_cast<size_t>(frames), 0.0));
      double worst = 0.0;
      for (size_t n = 0; n < static_cast<size_t>(frames); ++n) {
        const double wetLeft = n >= delayFrames ? loop[0][n - delayFrames] : 0.0;
        const double wetRight = n >= delayFrames ? loop[1][n - delayFrames] : 0.0;
        const double x = source[n];
        const double intoLeft = pingPong ? x + feedback * wetRight : x + feedback * wetLeft;
        const double intoRight = pingPong ? feedback * wetLeft : x + feedback * wetRight;
        loop[0][n] = highcut[0](lowcut[0](intoLeft));
        loop[1][n] = highcut[1](lowcut[1](intoRight));
        worst = std::max(worst, std::abs(output[0][n] - ((1 - mix) * x + mix * wetLeft)));
        worst = std::max(worst, std::abs(output[1][n] - ((1 - mix) * x + mix * wetRight)));
      }
      CHECK(worst < 1e-5);
    }
}

TEST_CASE("dsp: delay output does not depend on block splits and mix 0 is the dry signal") {
  for (const double rate : {44100.0, 48000.0, 96000.0})
    for (const double timeMs : {0.3, 7.0, 40.0}) {
      DelayProcessor::Params params{timeMs, 0.8, 0.5, false, 120.0, 6000.0};
      const std::vector<float> left = makeNoise(static_cast<size_t>(rate / 4), 0.7, 4);
      const std::vector<float> right = makeNoise(static_cast<size_t>(rate / 4), 0.7, 5);
      for (const bool pingPong : {false, true}) {
        params.pingPong = pingPong;
        DelayProcessor whole(params), split(params);
        const Channels expected = processChannels(whole, rate, {left, right}, {}, 0);
        CHECK(processChannels(split, rate, {left, right}, {}, 17) == expected);
        split.reset();
        CHECK(processChannels(split, rate, {left, right}, {}, 18, PrepareFirst::No) == expected);
      }
      params.mix = 0.0;
      DelayProcessor dry(params);
      CHECK(processChannels(dry, rate, {left, right}, {}, 19) == Channels{left, right});
    }
}

TEST_CASE("dsp: delay tail covers every repeat down to the first below -96 dB") {
  for (const double feedback : {0.0, 0.3, 0.5, 0.95}) {
    DelayProcessor delay({100.0, feedback, 0.3, false, std::nullopt, std::nullopt});
    delay.prepare({48000.0, 1024, 2});
    const int repeats = DelayProcessor::audibleRepeats(feedback);
    CHECK(delay.tailFrames() == 4800 * repeats);
    CHECK(delay.properties(2).silentGapFrames == 4800);
    if (feedback > 0.0) {
      // The last repeat counted is the first one under -96 dB: amplitude feedback^(repeats - 1).
      CHECK(20.0 * std::log10(std::pow(feedback, repeats - 1)) < -96.0);
      CHECK(20.0 * std::log10(std::pow(feedback, repeats - 2)) >= -96.0);
    } else {
      CHECK(repeats == 1);
    }
  }
}

TEST_CASE("dsp: delay outputs no subnormal after a loud passage and 10 s of silence") {
  const double rate = 44100.0;
  std::vector<float> input = makeNoise(static_cast<size_t>(11 * rate), 1.0, 9);
  std::fill(input.begin() + static_cast<std::ptrdiff_t>(rate), input.end(), 0.0f);
  for (const bool pingPong : {false, true}) {
    DelayProcessor delay({0.2, 0.95, 0.5, pingPong, 50.0, 10000.0});
    const Channels output = processChannels(delay, rate, {input, input}, {}, 13);
    for (const auto& channel : output)
      CHECK(std::none_of(channel.begin(), channel.end(), [](float x) { return std::fpclassify(x) == FP_SUBNORMAL; }));
  }
}
