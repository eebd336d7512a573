// master.loudness through the CLI: the normalised mix, read back and measured
// independently with libebur128, sits within 0.1 LU of the target with every
// true peak at or under the ceiling, whether the raw mix was far too quiet or
// too loud; a silent mix reports null loudness.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "cli/render_support.h"
#include "support/ebur128_reading.h"
#include "support/refusal_check.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 48000;
constexpr double kSeconds = 20.0;

/**
 * Stereo decaying noise bursts: a noise bed of amplitude bed with a noise burst of amplitude hit
 * every periodS, decaying with time constant decayS, for seconds.
 */
PlanarSamples decayingBursts(double bed, double hit, double periodS, double decayS, double seconds, unsigned seed) {
  const auto frames = static_cast<std::size_t>(seconds * kRate);
  PlanarSamples channels(2, std::vector<float>(frames));
  std::mt19937 generator(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  const auto periodFrames = static_cast<std::size_t>(periodS * kRate);
  for (auto& channel : channels)
    for (std::size_t frame = 0; frame < frames; ++frame) {
      const double sinceHit = static_cast<double>(frame % periodFrames) / kRate;
      channel[frame] = static_cast<float>(uniform(generator) * (bed + hit * std::exp(-sinceHit / decayS)));
    }
  return channels;
}

/**
 * A drum-loop-like stereo source: a noise bed of amplitude bed with a decaying
 * noise burst (30 ms time constant) of amplitude hit every 0.5 s, so peaks stand
 * well above the loudness and normalising upwards makes the limiter work.
 */
PlanarSamples beatSource(double bed, double hit, unsigned seed) { return decayingBursts(bed, hit, 0.5, 0.03, kSeconds, seed); }

nlohmann::json beatSession() {
  nlohmann::json session = oneTrackSession("audio/beat.wav", "-3dB");
  session["tail_s"] = 0;
  return session;
}

/** Renders the raw (unnormalised) mix as float and reads its loudness. */
double rawLoudness(const RenderFolder& folder) {
  const Ebur128Reading raw = readWithEbur128(renderMix(folder, beatSession()));
  REQUIRE(raw.integratedLufs.has_value());
  return *raw.integratedLufs;
}

/** beatSession with master.loudness at the given target and ceiling (and limiter timing, if any), into a 24-bit mix. */
nlohmann::json normalisedSession(double targetLufs, double ceilingDbtp, const nlohmann::json& limiter = nullptr) {
  nlohmann::json session = beatSession();
  session["master"]["loudness"] = {{"target_lufs", targetLufs}, {"true_peak_dbtp", ceilingDbtp}};
  if (!limiter.is_null()) session["master"]["loudness"]["limiter"] = limiter;
  session["outputs"]["mix"]["bit_depth"] = 24;
  return session;
}

/** Renders normalisedSession into normalised/; returns the reading and the report. */
Ebur128Reading normalised(const RenderFolder& folder, double targetLufs, double ceilingDbtp, nlohmann::json& report,
                          const nlohmann::json& limiter = nullptr) {
  folder.writeSession(normalisedSession(targetLufs, ceilingDbtp, limiter), "normalised.json");
  folder.run({"render", "normalised.json", "-o", "normalised", "--quiet"});
  report = nlohmann::json::parse(std::ifstream(folder.file("normalised") / "report.json"));
  return readWithEbur128(readOutput(folder.file("normalised") / "mix.wav"));
}

/** The warnings of report that mention the ceiling's room, joined. */
std::string ceilingWarnings(const nlohmann::json& report) {
  std::string found;
  for (const auto& warning : report["warnings"])
    if (warning.get<std::string>().find("does not leave room") != std::string::npos) found += warning.get<std::string>();
  return found;
}

/**
 * Normalises the source in folder to a target that only more than 12 dB of make-up gain (crushing
 * the master in the limiter) could reach, and checks with libebur128 that the search stopped there:
 * a gain at most 12 dB above target - raw loudness, a master that is not silence (its limited peaks
 * at the ceiling, its loudness above the gate), short of the target by what the warning says, every
 * true peak at or under the ceiling.
 */
void checkStopsAtMakeUpLimit(const RenderFolder& folder, double targetLufs, double ceilingDbtp) {
  const double raw = rawLoudness(folder);
  nlohmann::json report;
  const Ebur128Reading reading = normalised(folder, targetLufs, ceilingDbtp, report);
  INFO("raw " << raw << " LUFS: " << report["normalization"].dump() << "\n" << report["warnings"].dump());
  REQUIRE(reading.integratedLufs.has_value());
  CHECK(report["normalization"]["gain_db"].get<double>() <= targetLufs - raw + 12.0 + 0.01);
  CHECK(*reading.integratedLufs > -70.0);
  CHECK(*reading.integratedLufs < targetLufs - 0.1);
  CHECK(reading.truePeakDbtp <= ceilingDbtp);
  CHECK(reading.truePeakDbtp > ceilingDbtp - 1.0);
  const double reached = report["normalization"]["integrated_lufs"].get<double>();
  CHECK(std::abs(*reading.integratedLufs - reached) <= 0.1);
  char expected[200];
  std::snprintf(expected, sizeof expected,
                "master.loudness: the master reaches %.2f LUFS, %.2f LU short of the target %.1f LUFS: the "
                "true-peak ceiling of %.1f dBTP does not leave room for more",
                reached, targetLufs - reached, targetLufs, ceilingDbtp);
  CHECK(ceilingWarnings(report).find(expected) == 0);
}

/** Uniform noise of amplitude 0.1 with one sample of +spike (left) and -spike (right) every second, 10 s. */
PlanarSamples spikedNoise(float spike) {
  PlanarSamples channels = noiseChannels(10 * kRate, 2, 0.1, 17);
  for (std::size_t frame = 1000; frame < channels[0].size(); frame += static_cast<std::size_t>(kRate)) {
    channels[0][frame] = spike;
    channels[1][frame] = -spike;
  }
  return channels;
}

}  // namespace

TEST_CASE("cli: one full-scale burst over a -60 dBFS noise floor is normalised as far as make-up allows, not to silence") {
  // The burst sets the loudness; reaching -14 LUFS would take the floor up 45 dB and the burst down
  // as much. Raising the gain first lowers the gated loudness (the limited burst's release swallows
  // the floor around it): a negative measured slope, where unbracketed secant steps once settled at -103 dB.
  RenderFolder folder;
  PlanarSamples source = noiseChannels(10 * kRate, 2, 0.001, 3);
  const PlanarSamples burst = noiseChannels(kRate / 500, 2, 1.0, 4);  // 2 ms
  for (int channel = 0; channel < 2; ++channel)
    std::copy(burst[static_cast<std::size_t>(channel)].begin(), burst[static_cast<std::size_t>(channel)].end(),
              source[static_cast<std::size_t>(channel)].begin() + 5 * kRate);
  folder.writeSource("beat.wav", source, kRate);
  checkStopsAtMakeUpLimit(folder, -14.0, -1.0);
}

TEST_CASE("cli: short drum hits every 250 ms are normalised towards -12 LUFS under -1 dBTP, not to silence") {
  // 5 ms decays over a -50 dBFS floor: the first gains barely change the loudness, so the secant's
  // slope is near 0 and its steps overshoot; seen by a user as a mix at -111 dBTP. The target needs
  // 40 dB of make-up (52 dB of limiting) with the quieter floor, 17 dB with the louder one.
  for (const double bed : {0.003, 0.03}) {
    INFO("bed amplitude " << bed);
    RenderFolder folder;
    folder.writeSource("beat.wav", decayingBursts(bed, 1.0, 0.25, 0.005, 10.0, 9), kRate);
    checkStopsAtMakeUpLimit(folder, -12.0, -1.0);
  }
}

TEST_CASE("cli: float masters with absurd peaks keep the ceiling and stay under the target, or fail naming the peak") {
  // The spikes set the loudness (+157 LUFS for 1e10): the noise under them could reach the target
  // only by a gain that crushes them by hundreds of dB.
  for (const float spike : {1e10f, 1e20f, 1e30f}) {
    INFO("spikes of " << spike);
    RenderFolder folder;
    folder.writeSource("beat.wav", spikedNoise(spike), kRate);
    checkStopsAtMakeUpLimit(folder, -14.0, -1.0);
  }
  // 3e38 (+769.5 dBFS) is beyond what can be measured and limited in float.
  RenderFolder folder;
  folder.writeSource("beat.wav", spikedNoise(3e38f), kRate);
  folder.writeSession(normalisedSession(-14.0, -1.0));
  checkMixdownRefuses({"render", "session.json", "-o", "out", "--quiet"}, folder.path(), 1,
                      {"master.loudness: the master peaks at +770 dBFS, beyond the +700 dBFS"});
}

TEST_CASE("cli: a target the ceiling cannot reach is missed by what the warning says, the ceiling kept") {
  // At -9 dBTP this noise cannot be made louder than about -11 LUFS, however hard it is limited: the
  // search once drove it to +706 dB, a square wave at the ceiling.
  RenderFolder folder;
  folder.writeSource("beat.wav", beatSource(0.003, 0.5, 5), kRate);
  checkStopsAtMakeUpLimit(folder, 0.0, -9.0);
}

TEST_CASE("cli: a mix 20 LU too quiet is normalised to the target with true peaks under the ceiling") {
  RenderFolder folder;
  folder.writeSource("beat.wav", beatSource(0.002, 0.06, 5), kRate);
  const double raw = rawLoudness(folder);
  for (const double ceiling : {-1.0, -2.0}) {
    nlohmann::json report;
    // The release this case was measured with (100 ms, the loudness limiter's before it took the
    // insert's 50 ms): a slower release takes more loudness off, so more make-up gain and reduction.
    const Ebur128Reading reading =
        normalised(folder, raw + 20.0, ceiling, report, {{"lookahead_ms", 1.5}, {"release_ms", 100.0}});
    INFO("raw " << raw << " LUFS, ceiling " << ceiling << ": " << report["normalization"].dump());
    REQUIRE(reading.integratedLufs.has_value());
    CHECK(std::abs(*reading.integratedLufs - (raw + 20.0)) <= 0.1);
    CHECK(reading.truePeakDbtp <= ceiling);
    // The hits are 30 dB over the bed: 20 dB up they must be limited, and the gain made up for it.
    CHECK(report["normalization"]["limiter_max_reduction_db"].get<double>() > 3.0);
    CHECK(report["normalization"]["gain_db"].get<double>() > 20.0);
  }
}

TEST_CASE("cli: a mix 10 LU too loud is normalised down to the target") {
  RenderFolder folder;
  folder.writeSource("beat.wav", beatSource(0.5, 0.9, 6), kRate);
  const double raw = rawLoudness(folder);
  nlohmann::json report;
  const Ebur128Reading reading = normalised(folder, raw - 10.0, -1.0, report);
  INFO("raw " << raw << " LUFS: " << report["normalization"].dump());
  REQUIRE(reading.integratedLufs.has_value());
  CHECK(std::abs(*reading.integratedLufs - (raw - 10.0)) <= 0.1);
  CHECK(reading.truePeakDbtp <= -1.0);
}

TEST_CASE("cli: a silent mix reports null loudness and is not normalised") {
  RenderFolder folder;
  folder.writeSource("beat.wav", PlanarSamples(2, std::vector<float>(kRate, 0.0f)), kRate);
  nlohmann::json session = beatSession();
  session["master"]["loudness"] = {{"target_lufs", -14.0}};
  folder.writeSession(session);
  folder.run({"render", "session.json", "-o", "out", "--quiet"});
  std::ifstream stream(folder.file("out") / "report.json");
  const nlohmann::json report = nlohmann::json::parse(stream);  // throws unless valid JSON
  const nlohmann::json& mix = report["outputs"][0];
  for (const char* key : {"integrated_lufs", "loudness_range_lu", "max_momentary_lufs", "max_short_term_lufs",
                          "true_peak_dbtp", "sample_peak_dbfs", "rms_dbfs"}) {
    INFO(key);
    CHECK(mix[key].is_null());
  }
  CHECK(report["normalization"]["gain_db"] == 0.0);
  CHECK(report["warnings"].dump().find("silent") != std::string::npos);
}

TEST_CASE("cli: the shipped demo is normalised to its -14 LUFS target under -1 dBTP") {
  RenderFolder folder;
  REQUIRE(runProgram(MIXDOWN_DEMO_AUDIO_BINARY, {(folder.path() / "audio").string()}, folder.path()).exitStatus == 0);
  std::filesystem::copy_file(sourceDir() / "sessions" / "demo.json", folder.file("demo.json"));
  folder.run({"render", "demo.json", "-o", "out", "--mix-only", "--no-variants", "--quiet"});
  const Ebur128Reading reading = readWithEbur128(readOutput(folder.file("out") / "mix.wav"));
  REQUIRE(reading.integratedLufs.has_value());
  MESSAGE("demo: " << *reading.integratedLufs << " LUFS, " << reading.truePeakDbtp << " dBTP");
  CHECK(std::abs(*reading.integratedLufs - -14.0) <= 0.1);
  CHECK(reading.truePeakDbtp <= -1.0);
}

}  // namespace mixdown::test
