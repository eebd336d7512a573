// The LV2 host on real plugins: eg-amp's gain against the dB formula, one
// instance per channel, a latency-reporting limiter's delay read from its
// port, and the refusals (not installed, unknown control symbol).

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "mixdown/dsp/automated_processor.h"
#include "mixdown/graph/processor_factory.h"
#include "mixdown/plugins/lv2_processor.h"
#include "support/installed_plugins.h"
#include "support/processor_harness.h"
#include "support/sample_inserts.h"

namespace mixdown::test {

namespace {

plugins::Lv2Processor amp(double gainDb) {
  return plugins::Lv2Processor({kEgAmp, "/tracks/0/inserts/0", {{"gain", gainDb}}, {}});
}

/** The largest |actual - gain * input| over every sample. */
double deviation(const Channels& actual, const Channels& input, double gain) {
  double largest = 0.0;
  for (std::size_t channel = 0; channel < input.size(); ++channel)
    for (std::size_t frame = 0; frame < input[channel].size(); ++frame)
      largest = std::max(largest, std::abs(actual[channel][frame] - gain * input[channel][frame]));
  return largest;
}

}  // namespace

TEST_CASE("lv2: eg-amp's gain is 10^(dB/20) to 1e-6, in one call and in random blocks") {
  if (!pluginInstalled(kEgAmp, "lv2-examples")) return;
  for (const double gainDb : {-6.0, 0.0, 12.5, -40.0}) {
    CAPTURE(gainDb);
    auto processor = amp(gainDb);
    const Channels input{makeNoise(5000, 0.9, 1)};
    const double gain = std::pow(10.0, gainDb / 20.0);
    CHECK(deviation(processChannels(processor, 48000.0, input), input, gain) < 1e-6);
    CHECK(deviation(processChannels(processor, 44100.0, input, {}, 7), input, gain) < 1e-6);
  }
}

TEST_CASE("lv2: a mono plugin on a stereo strip runs one instance per channel") {
  if (!pluginInstalled(kEgAmp, "lv2-examples")) return;
  auto processor = amp(-6.0);
  CHECK(processor.properties(2).outputChannels == 2);
  CHECK(processor.properties(1).outputChannels == 1);
  const Channels input{makeNoise(3000, 0.5, 2), makeNoise(3000, 0.5, 3)};
  CHECK(deviation(processChannels(processor, 48000.0, input), input, std::pow(10.0, -6.0 / 20.0)) < 1e-6);
}

TEST_CASE("lv2: a limiter's reported latency delays an impulse by exactly that many frames") {
  for (const auto& [uri, package] : {std::pair{kX42LimiterMono, "x42-plugins"}, std::pair{kLspLimiterMono, "lsp-plugins-lv2"}}) {
    CAPTURE(uri);
    if (!pluginInstalled(uri, package)) continue;
    plugins::Lv2Processor processor({uri, "/tracks/0/inserts/0", {}, {}});
    Channels input{std::vector<float>(8192, 0.0f)};
    input[0][1000] = 0.25f;  // 12 dB below either limiter's threshold: passed unchanged
    const Channels output = processChannels(processor, 48000.0, input, {}, 5);
    const int latency = processor.properties(1).latencyFrames;
    CHECK(latency > 0);
    std::size_t loudest = 0;
    for (std::size_t frame = 0; frame < output[0].size(); ++frame)
      if (std::abs(output[0][frame]) > std::abs(output[0][loudest])) loudest = frame;
    CHECK(loudest == 1000 + static_cast<std::size_t>(latency));
    CHECK(output[0][loudest] == doctest::Approx(0.25).epsilon(1e-6));
  }
}

TEST_CASE("lv2: eg-amp's automated gain follows the curve, a step per automation stride, in any block split") {
  if (!pluginInstalled(kEgAmp, "lv2-examples")) return;
  constexpr double kRate = 48000.0;
  // -30 dB at 0 s to +6 dB at 0.5 s, linear in dB.
  const nlohmann::json parameters = {
      {"type", "lv2"}, {"uri", kEgAmp}, {"controls", {{"gain", {{"points", {{0.0, -30.0}, {0.5, 6.0}}}}}}}};
  auto processor = graph::makeProcessor(insertOf(parameters));
  const Channels input{makeNoise(30000, 0.5, 4)};
  const Channels output = processChannels(*processor, kRate, input, {}, 9);
  double worst = 0.0;
  for (std::size_t frame = 0; frame < input[0].size(); ++frame) {
    // A control takes, at each stride boundary, the curve's value at the next one (automated_processor.h).
    const auto stride = static_cast<std::size_t>(dsp::kAutomationStrideFrames);
    const double timeS = static_cast<double>((frame / stride + 1) * stride) / kRate;
    const double gainDb = timeS >= 0.5 ? 6.0 : -30.0 + 36.0 * timeS / 0.5;
    worst = std::max(worst, std::abs(output[0][frame] - std::pow(10.0, gainDb / 20.0) * input[0][frame]));
  }
  CHECK(worst < 1e-6);
}

TEST_CASE("lv2: a plugin that is not installed, or a control it does not have, is refused naming the insert") {
  CHECK_THROWS_WITH_AS(plugins::Lv2Processor({"http://example.org/no-such-plugin", "/tracks/2/inserts/1", {}, {}}),
                       doctest::Contains("/tracks/2/inserts/1: plugin http://example.org/no-such-plugin is not installed"),
                       std::runtime_error);
  if (!pluginInstalled(kEgAmp, "lv2-examples")) return;
  CHECK_THROWS_WITH_AS(plugins::Lv2Processor({kEgAmp, "/tracks/0/inserts/0", {{"gian", 1.0}}, {}}),
                       doctest::Contains("has no control input \"gian\""), std::runtime_error);
}

}  // namespace mixdown::test
