// How long a render runs after the last clip: a fixed tail_s to the frame, and
// the automatic tail that lets delays and reverbs ring out and then stops.

#include <doctest/doctest.h>

#include <cmath>

#include "cli/render_support.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 48000;
constexpr std::int64_t kClickFrames = 4800;  // a 0.1 s source: one click at frame 0, then silence
const double kQuietAmplitude = std::pow(10.0, -96.0 / 20.0);

/** A one-track session on a mono click (0.5 at frame 0) with one insert, float mix, centre under the 0dB law. */
nlohmann::json clickSession(const RenderFolder& folder, const nlohmann::json& insert) {
  PlanarSamples click(1, std::vector<float>(static_cast<std::size_t>(kClickFrames), 0.0f));
  click[0][0] = 0.5f;
  folder.writeSource("click.wav", click, kRate);
  nlohmann::json session = oneTrackSession("audio/click.wav", "0dB");
  session["tracks"][0]["inserts"] = nlohmann::json::array({insert});
  return session;
}

/** Index one past the last frame whose |sample| in either channel reaches -96 dBFS. */
std::int64_t endOfSound(const SoundFileContents& mix) {
  std::int64_t end = 0;
  for (const auto& channel : mix.samples)
    for (std::size_t frame = 0; frame < channel.size(); ++frame)
      if (std::abs(channel[frame]) >= kQuietAmplitude) end = std::max(end, static_cast<std::int64_t>(frame) + 1);
  return end;
}

}  // namespace

TEST_CASE("cli: a fixed tail_s is honoured to the frame after the last clip") {
  RenderFolder folder;
  nlohmann::json session = clickSession(folder, {{"type", "delay"}, {"time_ms", 300}, {"feedback", 0.5}, {"mix", 1}});
  for (const double tailS : {0.0, 0.25, 1.2345}) {
    session["tail_s"] = tailS;
    const SoundFileContents mix = renderMix(folder, session);
    CHECK(mix.frames == kClickFrames + std::llround(tailS * kRate));
  }
}

TEST_CASE("cli: the automatic tail waits through a delay's silent gaps until the last audible repeat") {
  RenderFolder folder;
  // 0.8 s between repeats (longer than the 0.5 s of quiet that ends a render), halving each time.
  const std::int64_t delayFrames = 38400;
  nlohmann::json session = clickSession(folder, {{"type", "delay"}, {"time_ms", 800}, {"feedback", 0.5}, {"mix", 1}});
  session["tail_s"] = "auto";
  const SoundFileContents mix = renderMix(folder, session);
  // Repeat k (1-based) is 0.5 * 0.5^(k - 1) at k * delayFrames: every one at or above -96 dBFS must be there.
  int audible = 0;
  while (0.5 * std::pow(0.5, audible) >= kQuietAmplitude) ++audible;
  REQUIRE(mix.frames > audible * delayFrames);
  for (int repeat = 1; repeat <= audible; ++repeat)
    CHECK(mix.samples[0][static_cast<std::size_t>(repeat * delayFrames)] ==
          doctest::Approx(0.5 * std::pow(0.5, repeat - 1)).epsilon(1e-6));
  // It ends once the mix has been quiet for longer than the longest gap (the delay time), not 0.5 s.
  CHECK(endOfSound(mix) == audible * delayFrames + 1);
  CHECK(mix.frames - endOfSound(mix) == delayFrames + 1);
}

TEST_CASE("cli: without long gaps the automatic tail ends 0.5 s after the mix falls below -96 dBFS") {
  RenderFolder folder;
  nlohmann::json session = clickSession(folder, {{"type", "delay"}, {"time_ms", 100}, {"feedback", 0.9}, {"mix", 1}});
  session["tail_s"] = "auto";
  const SoundFileContents mix = renderMix(folder, session);
  const std::int64_t end = endOfSound(mix);
  CHECK(end > kClickFrames);
  CHECK(mix.frames - end == kRate / 2);
}

TEST_CASE("cli: the automatic tail lets a reverb ring below -96 dBFS and stops 0.5 s later") {
  RenderFolder folder;
  for (const double decayS : {0.5, 1.5}) {
    nlohmann::json session =
        clickSession(folder, {{"type", "reverb"}, {"decay_s", decayS}, {"predelay_ms", 20}, {"mix", 1}});
    session["tail_s"] = "auto";
    const SoundFileContents mix = renderMix(folder, session);
    const std::int64_t end = endOfSound(mix);
    INFO("decay " << decayS << " s: sound until frame " << end << " of " << mix.frames);
    // It rings for a good part of a decay time (the wet level starts well under the click) and ends within two.
    CHECK(end > kClickFrames + std::llround(0.5 * decayS * kRate));
    CHECK(end < kClickFrames + std::llround(2.0 * decayS * kRate));
    CHECK(mix.frames - end == kRate / 2);
  }
}

}  // namespace mixdown::test
