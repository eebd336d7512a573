// Automated faders, pans, send levels and processor parameters through the
// CLI, against the automation's definition: values at every frame, bar:beat
// times on their exact frame, jumps ramped so they never click, processor
// automation on the session timeline behind a latent insert, and --set
// replacing automation.

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "cli/render_support.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 48000;

/** A one-track session (float mix, centre under the 0dB law, so the fader alone scales) on audio/NAME. */
nlohmann::json automatedSession(const std::string& source, const nlohmann::json& gainDb) {
  nlohmann::json session = oneTrackSession("audio/" + source, "0dB");
  session["tracks"][0]["gain_db"] = gainDb;
  return session;
}

/** Frame of a bar:beat position: ((bar - 1) * beatsPerBar + beat - 1) beats of 60 / bpm s, nearest frame, ties to even. */
std::int64_t barBeatFrame(int bar, double beat, double bpm, int beatsPerBar) {
  const double seconds = ((bar - 1) * beatsPerBar + (beat - 1.0)) * 60.0 / bpm;
  return static_cast<std::int64_t>(std::nearbyint(seconds * kRate));
}

}  // namespace

TEST_CASE("cli: a fader automated from -40 to 0 dB over 2 s reads its automated level every 10 ms") {
  RenderFolder folder;
  const double amplitude = 0.5;
  const PlanarSamples sine{makeSine(1000.0, kRate, 3 * kRate, amplitude)};
  folder.writeSource("sine.wav", sine, kRate);
  const SoundFileContents mix =
      renderMix(folder, automatedSession("sine.wav", {{"points", {{0.0, -40.0}, {2.0, 0.0}}}}));
  REQUIRE(mix.frames == 3 * kRate);
  double worstDb = 0.0;
  for (std::int64_t mark = 0; mark < 3 * kRate; mark += kRate / 100) {
    // The first frame at or after the mark where the sine is far from a zero crossing.
    std::int64_t frame = mark;
    while (std::abs(sine[0][static_cast<size_t>(frame)]) < 0.5 * amplitude) ++frame;
    const double measuredDb = 20.0 * std::log10(mix.samples[0][static_cast<size_t>(frame)] / sine[0][static_cast<size_t>(frame)]);
    const double timeS = static_cast<double>(frame) / kRate;
    const double automatedDb = timeS >= 2.0 ? 0.0 : -40.0 + 20.0 * timeS;
    worstDb = std::max(worstDb, std::abs(measuredDb - automatedDb));
  }
  MESSAGE("worst deviation from the automation: " << worstDb << " dB");
  CHECK(worstDb <= 0.05);
}

TEST_CASE("cli: a step automation of a fader changes level within its 10 ms ramp, without a click") {
  RenderFolder folder;
  const PlanarSamples sine{makeSine(1000.0, kRate, 2 * kRate, 0.5)};
  folder.writeSource("sine.wav", sine, kRate);
  const SoundFileContents mix =
      renderMix(folder, automatedSession("sine.wav", {{"points", {{0.0, -40.0}, {1.0, 0.0}}}, {"curve", "step"}}));
  const std::vector<float>& in = sine[0];
  const std::vector<float>& out = mix.samples[0];
  double sineStep = 0.0;
  double outputStep = 0.0;
  for (size_t frame = 1; frame < in.size(); ++frame) {
    sineStep = std::max(sineStep, std::abs(static_cast<double>(in[frame]) - in[frame - 1]));
    outputStep = std::max(outputStep, std::abs(static_cast<double>(out[frame]) - out[frame - 1]));
  }
  MESSAGE("largest step: sine " << sineStep << ", output " << outputStep);
  CHECK(outputStep <= 1.25 * sineStep);
  // -40 dB until the step's frame, 0 dB from 10 ms after it.
  const auto step = static_cast<size_t>(kRate);
  for (size_t frame = 0; frame <= step; frame += 7)
    if (std::abs(in[frame]) > 0.1) CHECK(out[frame] / in[frame] == doctest::Approx(0.01).epsilon(1e-5));
  for (size_t frame = step + kRate / 100; frame < in.size(); frame += 7)
    if (std::abs(in[frame]) > 0.1) CHECK(out[frame] / in[frame] == doctest::Approx(1.0).epsilon(1e-5));
}

TEST_CASE("cli: bar:beat automation times land on their exact frame at 120 and 93 bpm and in 7/8") {
  struct Case {
    double bpm;
    int beatsPerBar;
  };
  RenderFolder folder;
  const PlanarSamples constant{std::vector<float>(static_cast<size_t>(12 * kRate), 0.5f)};
  folder.writeSource("dc.wav", constant, kRate);
  for (const Case c : {Case{120.0, 4}, Case{93.0, 4}, Case{93.0, 7}}) {
    nlohmann::json session = automatedSession(
        "dc.wav", {{"points", nlohmann::json::array({nlohmann::json::array({"2:1", -20.0}), nlohmann::json::array({"3:2.5", 0.0})})}});
    session["tempo"] = {{"bpm", c.bpm}, {"beats_per_bar", c.beatsPerBar}};
    const SoundFileContents mix = renderMix(folder, session);
    const std::int64_t start = barBeatFrame(2, 1.0, c.bpm, c.beatsPerBar);
    const std::int64_t end = barBeatFrame(3, 2.5, c.bpm, c.beatsPerBar);
    INFO(c.bpm << " bpm, " << c.beatsPerBar << " beats per bar: frames " << start << " .. " << end);
    const auto at = [&](std::int64_t frame) { return static_cast<double>(mix.samples[0][static_cast<size_t>(frame)]); };
    // -20 dB up to and at the first point's frame, rising from the next; 0 dB from the second point's frame on.
    CHECK(at(start - 1) == doctest::Approx(0.05).epsilon(1e-6));
    CHECK(at(start) == doctest::Approx(0.05).epsilon(1e-6));
    CHECK(at(start + 1) > at(start) * (1.0 + 1e-7));
    CHECK(at(end - 1) < 0.5 * (1.0 - 1e-7));
    CHECK(at(end) == doctest::Approx(0.5).epsilon(1e-6));
    CHECK(at(end + 1) == doctest::Approx(0.5).epsilon(1e-6));
  }
}

TEST_CASE("cli: automated pan and send level follow their curves") {
  RenderFolder folder;
  const PlanarSamples constant{std::vector<float>(static_cast<size_t>(2 * kRate), 0.5f)};
  folder.writeSource("dc.wav", constant, kRate);
  nlohmann::json session = oneTrackSession("audio/dc.wav", "-3dB");
  session["tracks"][0]["pan"] = {{"points", {{0.0, -1.0}, {1.0, 1.0}}}};
  session["tracks"][0]["sends"] = {{{"bus", "fx"}, {"level_db", {{"points", {{0.0, -60.0}, {1.0, 0.0}}}}}, {"pan", 0.0}}};
  session["buses"] = {{{"name", "fx"}}};
  session["outputs"]["stems"] = {{"of", "all"}, {"bit_depth", "float"}};
  renderMix(folder, session);
  const SoundFileContents mix = readOutput(folder.file("out") / "stems" / "source.wav");  // the track alone
  const SoundFileContents fx = readOutput(folder.file("out") / "stems" / "fx.wav");
  // Constant power (-3dB law): left = cos(theta), right = sin(theta), theta = (pan + 1) pi / 4.
  for (const std::int64_t frame : {0, 12000, 24000, 36000, 48000, 60000}) {
    const double pan = std::min(1.0, -1.0 + 2.0 * static_cast<double>(frame) / kRate);
    const double theta = (pan + 1.0) * std::numbers::pi / 4.0;
    INFO("frame " << frame);
    CHECK(mix.samples[0][static_cast<size_t>(frame)] == doctest::Approx(0.5 * std::cos(theta)).epsilon(1e-5).scale(1e-6));
    CHECK(mix.samples[1][static_cast<size_t>(frame)] == doctest::Approx(0.5 * std::sin(theta)).epsilon(1e-5).scale(1e-6));
    // The send has its own fixed pan (centre) and its level rises from -60 to 0 dB in 1 s; post-fader at 0 dB.
    const double levelDb = std::min(0.0, -60.0 + 60.0 * static_cast<double>(frame) / kRate);
    const double expected = 0.5 * std::pow(10.0, levelDb / 20.0) * std::cos(std::numbers::pi / 4.0);
    CHECK(fx.samples[0][static_cast<size_t>(frame)] == doctest::Approx(expected).epsilon(1e-5));
  }
}

TEST_CASE("cli: an automated insert behind a latent one follows the session timeline, not the block's") {
  // A limiter with 5 ms lookahead (240 frames, far below its ceiling, so only a
  // delay), then a gain insert stepping from 0 to -20 dB at 1 s. The mix is
  // aligned to the session, so the step's 10 ms ramp starts exactly at frame 48000.
  RenderFolder folder;
  const PlanarSamples constant{std::vector<float>(static_cast<size_t>(2 * kRate), 0.25f)};
  folder.writeSource("dc.wav", constant, kRate);
  nlohmann::json session = oneTrackSession("audio/dc.wav", "0dB");
  session["tracks"][0]["inserts"] = {
      {{"type", "limiter"}, {"ceiling_db", 0.0}, {"lookahead_ms", 5.0}, {"true_peak", false}},
      {{"type", "gain"}, {"gain_db", {{"points", {{0.0, 0.0}, {1.0, 0.0}, {1.0, -20.0}}}}}}};
  const SoundFileContents mix = renderMix(folder, session);
  const auto at = [&](std::int64_t frame) { return static_cast<double>(mix.samples[0][static_cast<size_t>(frame)]); };
  CHECK(at(47999) == doctest::Approx(0.25).epsilon(1e-6));
  CHECK(at(48000) == doctest::Approx(0.25).epsilon(1e-6));
  CHECK(at(48001) < 0.25 * (1.0 - 1e-4));
  // Inside the ramp (linear in dB: -20 dB over 480 frames) the insert's gain is
  // exact at every 32nd session frame and linear in gain in between
  // (docs/session.md): frame 48240 lies halfway between 48224 and 48256.
  const auto gainAt = [](std::int64_t frame) { return std::pow(10.0, -20.0 * static_cast<double>(frame - 48000) / 480.0 / 20.0); };
  CHECK(at(48224) == doctest::Approx(0.25 * gainAt(48224)).epsilon(1e-6));
  CHECK(at(48240) == doctest::Approx(0.25 * 0.5 * (gainAt(48224) + gainAt(48256))).epsilon(1e-6));
  CHECK(at(48480) == doctest::Approx(0.025).epsilon(1e-6));
}

TEST_CASE("cli: --set replaces a processor parameter's automation with a number, or with other automation") {
  RenderFolder folder;
  const PlanarSamples noise{makeNoise(static_cast<std::size_t>(kRate), 0.3, 9)};
  folder.writeSource("noise.wav", noise, kRate);
  nlohmann::json session = oneTrackSession("audio/noise.wav", "0dB");
  const nlohmann::json sweep = {{"points", {{0.0, 200.0}, {1.0, 8000.0}}}, {"curve", "smooth"}};
  const nlohmann::json other = {{"points", {{0.0, 5000.0}, {0.5, 300.0}}}};
  session["tracks"][0]["inserts"] = {
      {{"type", "eq"}, {"name", "sweep"}, {"bands", {{{"type", "lowpass"}, {"freq_hz", sweep}, {"q", 2.0}}}}}};
  folder.writeSession(session);
  auto renderWith = [&](const std::string& folderName, const std::vector<std::string>& sets) {
    std::vector<std::string> arguments{"render", "session.json", "--quiet", "-o", folderName};
    for (const auto& set : sets) arguments.insert(arguments.end(), {"--set", set});
    folder.run(arguments);
    return bytesOf(folder.file(folderName) / "mix.wav");
  };
  const auto swept = renderWith("swept", {});
  const auto heldBySet = renderWith("held_by_set", {"tracks.source.inserts.sweep.bands.0.freq_hz=1500"});
  const auto otherBySet = renderWith("other_by_set", {"tracks.source.inserts.sweep.bands.0.freq_hz=" + other.dump()});

  nlohmann::json held = session;
  held["tracks"][0]["inserts"][0]["bands"][0]["freq_hz"] = 1500.0;
  folder.writeSession(held, "held.json");
  folder.run({"render", "held.json", "--quiet", "-o", "held"});
  nlohmann::json otherSession = session;
  otherSession["tracks"][0]["inserts"][0]["bands"][0]["freq_hz"] = other;
  folder.writeSession(otherSession, "other.json");
  folder.run({"render", "other.json", "--quiet", "-o", "other"});

  CHECK(heldBySet == bytesOf(folder.file("held") / "mix.wav"));
  CHECK(otherBySet == bytesOf(folder.file("other") / "mix.wav"));
  CHECK(heldBySet != swept);
  CHECK(otherBySet != swept);
}

}  // namespace mixdown::test
