// The demo's master limiter holds its ceiling when the mix is driven 12 dB
// into it: every true peak of the rendered mix, measured independently by
// libebur128 (4x oversampled, BS.1770-4), stays at or below the ceiling + 0.05 dB.

#include <doctest/doctest.h>

#include <ebur128.h>

#include <cmath>
#include <filesystem>

#include "support/cli_runner.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"

using namespace mixdown;
namespace fs = std::filesystem;

TEST_CASE("render: the demo driven +12 dB into its limiter keeps every true peak under the ceiling") {
  test::TempDir dir;
  REQUIRE(test::runProgram(MIXDOWN_DEMO_AUDIO_BINARY, {(dir.path() / "audio").string()}, dir.path()).exitStatus == 0);
  fs::copy_file(fs::path(MIXDOWN_SOURCE_DIR) / "sessions" / "demo.json", dir.file("demo.json"));
  // The demo's master "drive" trim (before the bus compressor and the limiter) is +3 dB; +15 dB drives 12 dB harder.
  const test::CommandResult result =
      test::runMixdown({"render", "demo.json", "-o", "out", "--mix-only", "--no-variants", "--set", "master.inserts.drive.gain_db=15",
                        "--set", "outputs.mix.bit_depth=\"float\""},
                       dir.path());
  INFO(result.err);
  REQUIRE(result.exitStatus == 0);
  const test::SoundFileContents mix = test::readSoundFile(dir.file("out") / "mix.wav");
  REQUIRE(mix.channels == 2);

  ebur128_state* meter = ebur128_init(2, static_cast<unsigned>(mix.sampleRate), EBUR128_MODE_TRUE_PEAK);
  REQUIRE(meter != nullptr);
  std::vector<float> interleaved;
  interleaved.reserve(static_cast<size_t>(mix.frames) * 2);
  for (std::int64_t frame = 0; frame < mix.frames; ++frame)
    for (int channel = 0; channel < 2; ++channel) interleaved.push_back(mix.samples[static_cast<size_t>(channel)][static_cast<size_t>(frame)]);
  REQUIRE(ebur128_add_frames_float(meter, interleaved.data(), static_cast<size_t>(mix.frames)) == EBUR128_SUCCESS);
  double worstDbtp = -200.0;
  double samplePeak = 0.0;
  for (unsigned channel = 0; channel < 2; ++channel) {
    double truePeak = 0.0;
    REQUIRE(ebur128_true_peak(meter, channel, &truePeak) == EBUR128_SUCCESS);
    worstDbtp = std::max(worstDbtp, 20.0 * std::log10(truePeak));
    double channelSamplePeak = 0.0;
    REQUIRE(ebur128_sample_peak(meter, channel, &channelSamplePeak) == EBUR128_SUCCESS);
    samplePeak = std::max(samplePeak, channelSamplePeak);
  }
  ebur128_destroy(&meter);
  MESSAGE("driven demo: true peak " << worstDbtp << " dBTP, sample peak " << 20.0 * std::log10(samplePeak) << " dBFS");
  CHECK(20.0 * std::log10(samplePeak) > -3.0);  // the limiter really was driven
  CHECK(worstDbtp <= -1.0 + 0.05);
}
