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

namespace {

double decibels(double amplitudeRatio) { return 20.0 * std::log10(amplitudeRatio); }

/** RMS of one channel over [fromS, toS). */
double windowRms(const std::vector<float>& channel, double fromS, double toS) {
  const auto first = static_cast<std::size_t>(fromS * kRate);
  const auto last = static_cast<std::size_t>(toS * kRate);
  double sum = 0.0;
  for (std::size_t frame = first; frame < last; ++frame) sum += static_cast<double>(channel[frame]) * channel[frame];
  return std::sqrt(sum / static_cast<double>(last - first));
}

/**
 * A 1 kHz pad at -20 dBFS through LSP's sidechain compressor set to its external key (sct 2) read as RMS
 * (scm 1), threshold -20 dB (al 0.1), ratio 20, hard knee (kn 1), keyed (or not) from a muted track that is silent for 0.5 s, then a 100 Hz
 * sine at -6 dBFS (sidechain "kick", or null for none): the pad's left channel in the mix.
 */
std::vector<float> padThroughSidechainCompressor(nlohmann::json sidechain) {
  constexpr std::int64_t frames = kRate;
  RenderFolder folder;
  folder.writeSource("pad.wav", sineChannels(1000.0, kRate, frames, 2, 0.1), kRate);
  PlanarSamples kick = sineChannels(100.0, kRate, frames, 1, 0.5);
  std::fill_n(kick[0].begin(), frames / 2, 0.0f);
  folder.writeSource("kick.wav", kick, kRate);
  nlohmann::json compressor = lv2Insert(kLspSidechainCompressorStereo,
                                        {{"sct", 2}, {"scm", 1}, {"al", 0.1}, {"cr", 20}, {"at", 1}, {"rt", 20}, {"kn", 1}});
  if (!sidechain.is_null()) compressor["sidechain"] = std::move(sidechain);
  const SoundFileContents mix =
      renderMix(folder, floatMixSession({{{"name", "pad"}, {"source", "audio/pad.wav"}, {"inserts", {compressor}}},
                                         {{"name", "kick"}, {"source", "audio/kick.wav"}, {"mute", true}}}));
  REQUIRE(mix.frames == frames);
  return mix.samples[0];
}

}  // namespace

TEST_CASE("render lv2: a sidechain compressor keyed from another track ducks it while the key plays, and only then") {
  if (!pluginInstalled(kLspSidechainCompressorStereo, "lsp-plugins-lv2")) return;
  const double unducked = 0.1 / std::sqrt(2.0);  // the sine's RMS
  const std::vector<float> keyed = padThroughSidechainCompressor("kick");
  // Key silent: the pad passes at its own level (it is at the threshold, and the key is what is detected).
  CHECK(std::abs(decibels(windowRms(keyed, 0.1, 0.45) / unducked)) < 0.1);
  // The key's RMS, 0.5 / sqrt(2), is 10.97 dB over the threshold: at ratio 20 the static curve takes
  // 10.97 * (1 - 1/20) = 10.42 dB off the pad.
  const double keyOverDb = decibels(0.5 / std::sqrt(2.0) / 0.1);
  const double duckedDb = decibels(windowRms(keyed, 0.75, 0.95) / unducked);
  CHECK(std::abs(duckedDb + keyOverDb * (1.0 - 1.0 / 20.0)) < 0.5);
  // Without the sidechain its external key is silence: no gain reduction while the other track plays.
  const std::vector<float> unkeyed = padThroughSidechainCompressor(nullptr);
  CHECK(std::abs(decibels(windowRms(unkeyed, 0.75, 0.95) / unducked)) < 0.1);
  // The key's highpass at 2 kHz (12 dB/oct) leaves the 100 Hz key about 52 dB down, below the threshold: no ducking.
  const std::vector<float> highpassed = padThroughSidechainCompressor({{"source", "kick"}, {"highpass_hz", 2000}});
  CHECK(std::abs(decibels(windowRms(highpassed, 0.75, 0.95) / unducked)) < 0.1);
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
