// The demo's master limiter holds its ceiling when the mix is driven 12 dB
// into it: every true peak of the rendered mix, measured independently by
// libebur128 (4x oversampled, BS.1770-4), stays at or below the ceiling + 0.05 dB.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/cli_runner.h"
#include "support/ebur128_reading.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"

using namespace mixdown;
namespace fs = std::filesystem;

TEST_CASE("render: the demo driven +12 dB into its limiter keeps every true peak under the ceiling") {
  test::TempDir dir;
  REQUIRE(test::runProgram(MIXDOWN_DEMO_AUDIO_BINARY, {(dir.path() / "audio").string()}, dir.path()).exitStatus == 0);
  // The insert limiter alone: without master.loudness, whose own limiter would come after it.
  nlohmann::json demo = nlohmann::json::parse(std::ifstream(fs::path(MIXDOWN_SOURCE_DIR) / "sessions" / "demo.json"));
  demo["master"].erase("loudness");
  std::ofstream(dir.file("demo.json")) << demo.dump(2);
  // The demo's master "drive" trim (before the bus compressor and the limiter) is +3 dB; +15 dB drives 12 dB harder.
  const test::CommandResult result =
      test::runMixdown({"render", "demo.json", "-o", "out", "--mix-only", "--no-variants", "--set", "master.inserts.drive.gain_db=15",
                        "--set", "outputs.mix.bit_depth=\"float\""},
                       dir.path());
  INFO(result.err);
  REQUIRE(result.exitStatus == 0);
  const test::SoundFileContents mix = test::readSoundFile(dir.file("out") / "mix.wav");
  REQUIRE(mix.channels == 2);
  const test::Ebur128Reading reading = test::readWithEbur128(mix);
  MESSAGE("driven demo: true peak " << reading.truePeakDbtp << " dBTP, sample peak " << reading.samplePeakDbfs << " dBFS");
  CHECK(reading.samplePeakDbfs > -3.0);  // the limiter really was driven
  CHECK(reading.truePeakDbtp <= -1.0 + 0.05);
}
