// End-to-end: what render's options write (--dry-run, -o, --mix-only,
// --stems-only, --set, variants) and 16-bit dither.

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "cli/render_support.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;

constexpr int kRate = 48000;
constexpr std::int64_t kFrames = 24000;

/**
 * Tracks "vocal" and "bass" (mono noise), 0dB pan law, float mix and stems of
 * the tracks, and two variants: "quiet" (vocal -6 dB) and "instrumental"
 * (vocal muted).
 */
void writeOptionsSession(const RenderFolder& folder) {
  folder.writeSource("vocal.wav", noiseChannels(kFrames, 1, 0.4, 11), kRate);
  folder.writeSource("bass.wav", noiseChannels(kFrames, 1, 0.4, 12), kRate);
  const nlohmann::json session = {
      {"mixdown", 1},
      {"pan_law", "0dB"},
      {"tail_s", 0},
      {"tracks", {{{"name", "vocal"}, {"source", "audio/vocal.wav"}}, {{"name", "bass"}, {"source", "audio/bass.wav"}}}},
      {"outputs",
       {{"mix", {{"file", "mix.wav"}, {"bit_depth", "float"}}},
        {"stems", {{"of", "tracks"}, {"bit_depth", "float"}}}}},
      {"variants",
       {{"quiet", {{"set", {{"tracks.vocal.gain_db", -6}}}}}, {"instrumental", {{"mute", {"vocal"}}}}}}};
  folder.writeSession(session);
}

bool pathExists(const fs::path& path) { return fs::exists(fs::symlink_status(path)); }

void checkSamplesScaled(const SoundFileContents& actual, const SoundFileContents& reference, double gain) {
  REQUIRE(actual.channels == reference.channels);
  REQUIRE(actual.frames == reference.frames);
  for (std::size_t channel = 0; channel < actual.samples.size(); ++channel)
    CHECK(maxDeviation(actual.samples[channel], reference.samples[channel], gain) <= 1e-6);
}

}  // namespace

TEST_CASE("cli: --dry-run lists the outputs and writes nothing") {
  RenderFolder folder;
  writeOptionsSession(folder);
  const TreeSnapshot before = snapshotTree(folder.path());
  const CommandResult result = folder.run({"render", "session.json", "--dry-run"});
  CHECK(result.out.find("mix.wav") != std::string::npos);
  CHECK(describeTreeChanges(before, snapshotTree(folder.path())).empty());
  folder.run({"render", "session.json", "--dry-run", "-o", "elsewhere"});
  CHECK(describeTreeChanges(before, snapshotTree(folder.path())).empty());
}

TEST_CASE("cli: render writes beside the session by default and into -o DIR when given") {
  RenderFolder folder;
  writeOptionsSession(folder);
  folder.run({"render", "session.json", "--no-variants", "--quiet"});
  const fs::path defaultDir = folder.file("renders") / "session";
  for (const char* name : {"mix.wav", "report.json", "stems/vocal.wav", "stems/bass.wav"})
    CHECK_MESSAGE(pathExists(defaultDir / name), std::string(name));
  CHECK(!pathExists(defaultDir / "variants"));

  folder.run({"render", "session.json", "--no-variants", "--quiet", "-o", "picked/dir"});
  for (const char* name : {"mix.wav", "report.json", "stems/vocal.wav", "stems/bass.wav"})
    CHECK_MESSAGE(pathExists(folder.file("picked") / "dir" / name), std::string(name));
  CHECK(!pathExists(folder.file("picked") / "dir" / "renders"));
}

TEST_CASE("cli: --mix-only writes no stems and --stems-only writes no mix") {
  RenderFolder folder;
  writeOptionsSession(folder);
  folder.run({"render", "session.json", "--no-variants", "--quiet", "--mix-only", "-o", "mix_only"});
  CHECK(pathExists(folder.file("mix_only") / "mix.wav"));
  CHECK(pathExists(folder.file("mix_only") / "report.json"));
  CHECK(!pathExists(folder.file("mix_only") / "stems"));

  folder.run({"render", "session.json", "--no-variants", "--quiet", "--stems-only", "-o", "stems_only"});
  CHECK(!pathExists(folder.file("stems_only") / "mix.wav"));
  CHECK(pathExists(folder.file("stems_only") / "report.json"));
  CHECK(pathExists(folder.file("stems_only") / "stems" / "vocal.wav"));
  CHECK(pathExists(folder.file("stems_only") / "stems" / "bass.wav"));
}

TEST_CASE("cli: --set tracks.NAME.gain_db=-6 lowers that track by 6 dB") {
  RenderFolder folder;
  writeOptionsSession(folder);
  folder.run({"render", "session.json", "--no-variants", "--quiet", "-o", "plain"});
  folder.run({"render", "session.json", "--no-variants", "--quiet", "-o", "lowered", "--set", "tracks.vocal.gain_db=-6"});
  const double gain = std::pow(10.0, -6.0 / 20.0);
  checkSamplesScaled(readOutput(folder.file("lowered") / "stems" / "vocal.wav"),
                     readOutput(folder.file("plain") / "stems" / "vocal.wav"), gain);
  checkSamplesScaled(readOutput(folder.file("lowered") / "stems" / "bass.wav"),
                     readOutput(folder.file("plain") / "stems" / "bass.wav"), 1.0);
  // With the bass muted too, the whole mix moves by 6 dB.
  folder.run({"render", "session.json", "--no-variants", "--quiet", "-o", "vocal", "--set", "tracks.bass.mute=true"});
  folder.run({"render", "session.json", "--no-variants", "--quiet", "-o", "vocal_lowered", "--set", "tracks.bass.mute=true",
              "--set", "tracks.vocal.gain_db=-6"});
  checkSamplesScaled(readOutput(folder.file("vocal_lowered") / "mix.wav"), readOutput(folder.file("vocal") / "mix.wav"), gain);
}

TEST_CASE("cli: variants render into DIR/variants/NAME/ with their changes") {
  RenderFolder folder;
  writeOptionsSession(folder);
  folder.run({"render", "session.json", "--quiet", "-o", "out"});
  const fs::path out = folder.file("out");
  for (const char* variant : {"quiet", "instrumental"})
    for (const char* name : {"mix.wav", "report.json", "stems/vocal.wav", "stems/bass.wav"})
      CHECK_MESSAGE(pathExists(out / "variants" / variant / name), (std::string(variant) + "/" + name));

  const SoundFileContents vocal = readOutput(out / "stems" / "vocal.wav");
  const SoundFileContents bass = readOutput(out / "stems" / "bass.wav");
  checkSamplesScaled(readOutput(out / "variants" / "quiet" / "stems" / "vocal.wav"), vocal, std::pow(10.0, -6.0 / 20.0));
  checkSamplesScaled(readOutput(out / "variants" / "instrumental" / "mix.wav"), bass, 1.0);
  // The main mix is both tracks at 0 dB.
  const SoundFileContents mix = readOutput(out / "mix.wav");
  for (std::size_t channel = 0; channel < 2; ++channel) {
    std::vector<float> sum(vocal.samples[channel].size());
    for (std::size_t frame = 0; frame < sum.size(); ++frame)
      sum[frame] = vocal.samples[channel][frame] + bass.samples[channel][frame];
    CHECK(maxDeviation(mix.samples[channel], sum, 1.0) <= 1e-6);
  }

  folder.run({"render", "session.json", "--quiet", "-o", "only_quiet", "--variant", "quiet"});
  CHECK(pathExists(folder.file("only_quiet") / "variants" / "quiet" / "mix.wav"));
  CHECK(!pathExists(folder.file("only_quiet") / "variants" / "instrumental"));
}

TEST_CASE("cli: 16-bit output is dithered, and the dither repeats from render to render") {
  RenderFolder folder;
  writeOptionsSession(folder);
  folder.run({"render", "session.json", "--no-variants", "--mix-only", "--quiet", "-o", "float"});
  for (const char* dir : {"dithered", "dithered_again"})
    folder.run({"render", "session.json", "--no-variants", "--mix-only", "--quiet", "-o", dir, "--set",
                "outputs.mix.bit_depth=16"});
  folder.run({"render", "session.json", "--no-variants", "--mix-only", "--quiet", "-o", "plain", "--set",
              "outputs.mix.bit_depth=16", "--set", "outputs.mix.dither=\"none\""});

  const SoundFileContents reference = readOutput(folder.file("float") / "mix.wav");
  const std::vector<std::int32_t> dithered = readIntegerCodes(folder.file("dithered") / "mix.wav", 16);
  const std::vector<std::int32_t> plain = readIntegerCodes(folder.file("plain") / "mix.wav", 16);
  REQUIRE(dithered.size() == static_cast<std::size_t>(reference.frames * reference.channels));
  REQUIRE(plain.size() == dithered.size());

  // Undithered: round(x * 2^15), ties away from zero (as the float render is in range, no clamping).
  std::size_t plainMismatches = 0;
  std::size_t ditherChanged = 0;
  std::int32_t largestDitherStep = 0;
  for (std::size_t index = 0; index < plain.size(); ++index) {
    const float sample = reference.samples[index % 2][index / 2];
    const auto rounded = static_cast<std::int32_t>(std::round(static_cast<double>(sample) * 32768.0));
    if (plain[index] != rounded) ++plainMismatches;
    if (dithered[index] != rounded) ++ditherChanged;
    largestDitherStep = std::max(largestDitherStep, std::abs(dithered[index] - rounded));
  }
  INFO("samples changed by the dither: " << ditherChanged << " of " << plain.size());
  CHECK(plainMismatches == 0);
  // TPDF of +-1 LSB moves about a third of the codes, each by one step.
  CHECK(ditherChanged > plain.size() / 10);
  CHECK(largestDitherStep <= 1);
  CHECK(bytesOf(folder.file("dithered") / "mix.wav") == bytesOf(folder.file("dithered_again") / "mix.wav"));
}

}  // namespace mixdown::test
