// master.loudness's true-peak limiter through the CLI: at its defaults (the
// limiter insert's) a normalised bass tone comes out without distortion, and
// limiter.lookahead_ms sets how early the gain falls before a transient.

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <numbers>

#include "cli/render_support.h"
#include "support/ebur128_reading.h"
#include "support/frequency_response.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 48000;
constexpr double kBedAmplitude = 0.01;

/** A constant bed of kBedAmplitude for 1 s, then a 50 Hz cosine of amplitude 0.5 over it for 3 s (stereo). */
PlanarSamples bedThenBass() {
  PlanarSamples channels(2, std::vector<float>(4 * kRate, static_cast<float>(kBedAmplitude)));
  for (auto& channel : channels)
    for (std::size_t frame = kRate; frame < channel.size(); ++frame)
      channel[frame] += static_cast<float>(
          0.5 * std::cos(2.0 * std::numbers::pi * 50.0 * static_cast<double>(frame - kRate) / kRate));
  return channels;
}

/** The mix of bedThenBass normalised to -6 LUFS under -1 dBTP, with `limiter` as master.loudness.limiter. */
SoundFileContents normalisedBass(const nlohmann::json& limiter, nlohmann::json& report) {
  RenderFolder folder;
  folder.writeSource("bass.wav", bedThenBass(), kRate);
  nlohmann::json session = oneTrackSession("audio/bass.wav", "-3dB");
  session["master"]["loudness"] = {{"target_lufs", -6.0}, {"true_peak_dbtp", -1.0}};
  if (!limiter.is_null()) session["master"]["loudness"]["limiter"] = limiter;
  const SoundFileContents mix = renderMix(folder, session);
  report = nlohmann::json::parse(std::ifstream(folder.file("out") / "report.json"));
  return mix;
}

/** How long before the bass's onset (1 s) the bed starts to come out lower than it did at 0.5 s, in ms. */
double gainLeadMs(const std::vector<float>& left) {
  const float bed = left[kRate / 2];
  for (std::size_t frame = kRate / 2; frame < static_cast<std::size_t>(kRate); ++frame)
    if (left[frame] < bed * 0.99999f) return 1000.0 * static_cast<double>(kRate - frame) / kRate;
  return 0.0;
}

}  // namespace

TEST_CASE("cli: master.loudness limits a normalised 50 Hz tone without distortion at its defaults") {
  nlohmann::json report;
  const SoundFileContents mix = normalisedBass(nullptr, report);
  INFO(report["normalization"].dump());
  CHECK(report["normalization"]["limiter_max_reduction_db"].get<double>() >= 6.0);
  CHECK(readWithEbur128(mix).truePeakDbtp <= -1.0);
  // 2 .. 3 s: a whole number of periods of the limited tone.
  const double thdDb = thdPlusNoiseDb(mix.samples[0], 2 * kRate, kRate, 50);
  MESSAGE("normalised 50 Hz THD+N: ", thdDb, " dB");
  CHECK(thdDb <= -70.0);
  const double leadMs = gainLeadMs(mix.samples[0]);
  CHECK(leadMs > 0.0);
  CHECK(leadMs <= 2.0);
}

TEST_CASE("cli: master.loudness.limiter.lookahead_ms sets how early the gain falls before a transient") {
  nlohmann::json report;
  const SoundFileContents mix = normalisedBass({{"lookahead_ms", 20.0}, {"release_ms", 200.0}}, report);
  CHECK(readWithEbur128(mix).truePeakDbtp <= -1.0);
  const double leadMs = gainLeadMs(mix.samples[0]);
  CHECK(leadMs > 19.0);
  CHECK(leadMs <= 21.0);
}

}  // namespace mixdown::test
