// master.loudness through the CLI: the normalised mix, read back and measured
// independently with libebur128, sits within 0.1 LU of the target with every
// true peak at or under the ceiling, whether the raw mix was far too quiet or
// too loud; a silent mix reports null loudness.

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <random>

#include "cli/render_support.h"
#include "support/ebur128_reading.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 48000;
constexpr double kSeconds = 20.0;

/**
 * A drum-loop-like stereo source: a noise bed of amplitude bed with a decaying
 * noise burst (30 ms time constant) of amplitude hit every 0.5 s, so peaks stand
 * well above the loudness and normalising upwards makes the limiter work.
 */
PlanarSamples beatSource(double bed, double hit, unsigned seed) {
  const auto frames = static_cast<std::size_t>(kSeconds * kRate);
  PlanarSamples channels(2, std::vector<float>(frames));
  std::mt19937 generator(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  const auto beatFrames = static_cast<std::size_t>(kRate / 2);
  for (auto& channel : channels)
    for (std::size_t frame = 0; frame < frames; ++frame) {
      const double sinceHit = static_cast<double>(frame % beatFrames) / kRate;
      channel[frame] = static_cast<float>(uniform(generator) * (bed + hit * std::exp(-sinceHit / 0.03)));
    }
  return channels;
}

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

/** Renders with master.loudness at the given target and ceiling into a 24-bit mix; returns the reading and the report. */
Ebur128Reading normalised(const RenderFolder& folder, double targetLufs, double ceilingDbtp, nlohmann::json& report) {
  nlohmann::json session = beatSession();
  session["master"]["loudness"] = {{"target_lufs", targetLufs}, {"true_peak_dbtp", ceilingDbtp}};
  session["outputs"]["mix"]["bit_depth"] = 24;
  folder.writeSession(session, "normalised.json");
  folder.run({"render", "normalised.json", "-o", "normalised", "--quiet"});
  report = nlohmann::json::parse(std::ifstream(folder.file("normalised") / "report.json"));
  return readWithEbur128(readOutput(folder.file("normalised") / "mix.wav"));
}

}  // namespace

TEST_CASE("cli: a mix 20 LU too quiet is normalised to the target with true peaks under the ceiling") {
  RenderFolder folder;
  folder.writeSource("beat.wav", beatSource(0.002, 0.06, 5), kRate);
  const double raw = rawLoudness(folder);
  for (const double ceiling : {-1.0, -2.0}) {
    nlohmann::json report;
    const Ebur128Reading reading = normalised(folder, raw + 20.0, ceiling, report);
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
