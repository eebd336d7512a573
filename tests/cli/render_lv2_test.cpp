// End-to-end: sessions with LV2 plugin inserts (Debian's lv2-examples,
// x42-plugins, swh-lv2, lsp-plugins-lv2): a limiter's latency compensated so
// an impulse leaves on the frame it entered and a transparent plugin nulls
// against the same track without it; the same bytes at -j 1 and -j 2. (The
// refusals are bad sessions: tests/sessions/bad/lv2_*.json.)

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "cli/render_support.h"
#include "support/installed_plugins.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 48000;
constexpr std::int64_t kFrames = 24000;

nlohmann::json lv2Insert(const std::string& uri, nlohmann::json controls = nlohmann::json::object()) {
  return {{"type", "lv2"}, {"uri", uri}, {"controls", std::move(controls)}};
}

nlohmann::json floatMixSession(nlohmann::json tracks) {
  return {{"mixdown", 1},
          {"pan_law", "0dB"},
          {"tail_s", 0},
          {"tracks", std::move(tracks)},
          {"outputs", {{"mix", {{"file", "mix.wav"}, {"bit_depth", "float"}}}}}};
}

struct LatentPlugin {
  const char* uri;
  const char* package;
};

constexpr LatentPlugin kLatentPlugins[] = {
    {kX42LimiterMono, "x42-plugins"}, {kSwhLookaheadLimiter, "swh-lv2"}, {kLspLimiterMono, "lsp-plugins-lv2"}};

}  // namespace

TEST_CASE("render lv2: an impulse through a latency-reporting limiter leaves on the frame it entered") {
  for (const LatentPlugin& plugin : kLatentPlugins) {
    CAPTURE(plugin.uri);
    if (!pluginInstalled(plugin.uri, plugin.package)) continue;
    RenderFolder folder;
    PlanarSamples impulse{std::vector<float>(kFrames, 0.0f)};
    impulse[0][1000] = 0.25f;  // 12 dB below each limiter's threshold
    folder.writeSource("impulse.wav", impulse, kRate);
    const SoundFileContents mix = renderMix(
        folder, floatMixSession({{{"name", "hit"}, {"source", "audio/impulse.wav"}, {"inserts", {lv2Insert(plugin.uri)}}}}));
    REQUIRE(mix.frames == kFrames);
    for (const auto& channel : mix.samples) {
      std::size_t loudest = 0;
      for (std::size_t frame = 0; frame < channel.size(); ++frame)
        if (std::abs(channel[frame]) > std::abs(channel[loudest])) loudest = frame;
      CHECK(loudest == 1000);
      CHECK(channel[1000] == doctest::Approx(0.25).epsilon(1e-6));
    }
  }
}

TEST_CASE("render lv2: a transparent limiter's track nulls below -120 dBFS against the same track without it") {
  for (const LatentPlugin& plugin : kLatentPlugins) {
    CAPTURE(plugin.uri);
    if (!pluginInstalled(plugin.uri, plugin.package)) continue;
    RenderFolder folder;
    folder.writeSource("noise.wav", noiseChannels(kFrames, 1, 0.25, 11), kRate);  // peaks 12 dB below the threshold
    const SoundFileContents mix = renderMix(
        folder, floatMixSession({{{"name", "through"}, {"source", "audio/noise.wav"}, {"inserts", {lv2Insert(plugin.uri)}}},
                                 {{"name", "plain"}, {"source", "audio/noise.wav"}, {"invert_polarity", true}}}));
    double peak = 0.0;
    for (const auto& channel : mix.samples)
      for (const float sample : channel) peak = std::max(peak, static_cast<double>(std::abs(sample)));
    CHECK(peak < std::pow(10.0, -120.0 / 20.0));
  }
}

TEST_CASE("render lv2: plugins on several tracks render the same bytes at -j 1 and -j 2") {
  if (!pluginInstalled(kEgAmp, "lv2-examples") || !pluginInstalled(kX42LimiterMono, "x42-plugins") ||
      !pluginInstalled(kSwhLookaheadLimiter, "swh-lv2"))
    return;
  RenderFolder folder;
  folder.writeSource("a.wav", noiseChannels(kFrames, 1, 0.8, 21), kRate);
  folder.writeSource("b.wav", noiseChannels(kFrames, 2, 0.9, 22), kRate);
  folder.writeSource("c.wav", noiseChannels(kFrames, 1, 0.7, 23), kRate);
  folder.writeSession(floatMixSession(
      {{{"name", "a"}, {"source", "audio/a.wav"}, {"inserts", {lv2Insert(kEgAmp, {{"gain", 6}}), lv2Insert(kX42LimiterMono)}}},
       {{"name", "b"}, {"source", "audio/b.wav"}, {"inserts", {lv2Insert(kSwhLookaheadLimiter, {{"limit", -6}})}}},
       {{"name", "c"}, {"source", "audio/c.wav"},
        {"inserts", {lv2Insert(kEgAmp, {{"gain", {{"points", {{0, -12}, {0.4, 6}}}}}}), lv2Insert(kX42LimiterMono, {{"threshold", -3}})}}}}));
  folder.run({"render", "session.json", "-o", "one", "-j", "1", "--quiet"});
  folder.run({"render", "session.json", "-o", "two", "-j", "2", "--quiet"});
  CHECK(bytesOf(folder.file("one") / "mix.wav") == bytesOf(folder.file("two") / "mix.wav"));
}

}  // namespace mixdown::test
