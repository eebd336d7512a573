// --set changes the session before its variants: for a path both name, the variant's set wins in
// that variant; --set holds for the main mix and for variants that leave the path alone.

#include <doctest/doctest.h>

#include <cmath>

#include "cli/render_support.h"
#include "support/cli_fixtures.h"

namespace mixdown::test {

TEST_CASE("cli: a variant's set wins over --set for the same path, --set holds elsewhere") {
  RenderFolder folder;
  const PlanarSamples source = sineChannels(441.0, 48000, 4800, 1, 0.5);
  folder.writeSource("tone.wav", source, 48000);
  nlohmann::json session = oneTrackSession("audio/tone.wav", "0dB");
  session["variants"] = {{"own", {{"set", {{"tracks.0.gain_db", 0.0}}}}}, {"other", {{"mute", nlohmann::json::array()}}}};
  folder.writeSession(session);
  // -6.0206 dB halves the amplitude exactly (20 log10 0.5).
  folder.run({"render", "session.json", "-o", "out", "--set", "tracks.0.gain_db=-6.020599913279624"});
  const SoundFileContents main = readOutput(folder.file("out/mix.wav"));
  const SoundFileContents own = readOutput(folder.file("out/variants/own/mix.wav"));
  const SoundFileContents other = readOutput(folder.file("out/variants/other/mix.wav"));
  // The pan law 0dB puts the mono track on both channels at its own level.
  CHECK(fittedGain(main.samples[0], source[0]) == doctest::Approx(0.5).epsilon(1e-5));
  CHECK(fittedGain(own.samples[0], source[0]) == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(fittedGain(other.samples[0], source[0]) == doctest::Approx(0.5).epsilon(1e-5));
}

}  // namespace mixdown::test
