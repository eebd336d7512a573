// `mixdown analyze --masking` end to end: files as the stems of one mix, the
// JSON keys of CLI.md 1.1's insight.masking, files of different lengths, and a
// file that cannot join the others named with exit status 1.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

namespace mixdown::test {

TEST_CASE("cli analyze --masking: two equal tones in one band mask each other, a far tone is clear") {
  TempDir folder;
  // 1000 and 1010 Hz share an ERB band; 4 kHz is far from both. The second file is shorter.
  writeWav(folder.file("a.wav"), sineChannels(1000.0, 48000, 4 * 48000, 2, 0.1), 48000, SampleFormat::Float32);
  writeWav(folder.file("b.wav"), sineChannels(1010.0, 48000, 3 * 48000, 1, 0.1), 48000, SampleFormat::Float32);
  writeWav(folder.file("far.wav"), sineChannels(4000.0, 48000, 4 * 48000, 1, 0.1), 48000, SampleFormat::Float32);
  const TreeSnapshot before = snapshotTree(folder.path());
  const CommandResult result = runMixdown({"analyze", "--masking", "--json", "a.wav", "b.wav", "far.wav"}, folder.path());
  INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
  REQUIRE(result.exitStatus == 0);
  CHECK(snapshotTree(folder.path()) == before);
  const auto document = nlohmann::ordered_json::parse(result.out);
  REQUIRE(document["bands"].size() == 40);
  const auto& masking = document["masking"];
  REQUIRE(masking.size() == 3);
  std::vector<std::string> keys;
  for (const auto& item : masking[0].items()) keys.push_back(item.key());
  REQUIRE(keys.size() >= 3);
  CHECK(keys[0] == "track");
  CHECK(keys[1] == "masked_fraction");
  CHECK(keys[2] == "maskers");
  CHECK(masking[0]["track"] == "a");
  CHECK(masking[1]["track"] == "b");
  // b sounds for 3 of a's 4 s: a is masked about 3/4 of its time, b all of its own.
  CHECK(masking[0]["masked_fraction"].get<double>() == doctest::Approx(0.75).epsilon(0.05));
  CHECK(masking[1]["masked_fraction"].get<double>() > 0.95);
  CHECK(masking[1]["audible_s"].get<double>() == doctest::Approx(3.0).epsilon(0.05));
  // (The files start and stop abruptly: those clicks spread across bands, so far.wav takes a sliver.)
  REQUIRE_FALSE(masking[0]["maskers"].empty());
  CHECK(masking[0]["maskers"][0]["track"] == "b");
  CHECK(masking[0]["maskers"][0]["share"].get<double>() > 0.95);
  CHECK(masking[2]["masked_fraction"].get<double>() < 0.05);

  const CommandResult table = runMixdown({"analyze", "--masking", "a.wav", "b.wav"}, folder.path());
  CHECK(table.exitStatus == 0);
  CHECK(table.out.find("a: audible") == 0);
  CHECK(table.out.find("  masked by b 100.0%\n") != std::string::npos);
}

TEST_CASE("cli analyze --masking: a file at another rate is named, exit status 1") {
  TempDir folder;
  writeWav(folder.file("a.wav"), sineChannels(1000.0, 48000, 48000, 1, 0.1), 48000, SampleFormat::Float32);
  writeWav(folder.file("b.wav"), sineChannels(1000.0, 44100, 44100, 1, 0.1), 44100, SampleFormat::Float32);
  const CommandResult result = runMixdown({"analyze", "--masking", "a.wav", "b.wav"}, folder.path());
  CHECK(result.exitStatus == 1);
  CHECK(result.out.empty());
  CHECK(result.err == "mixdown: error: cannot analyse masking of \"b.wav\": its sample rate 44100 Hz differs from "
                      "\"a.wav\"'s 48000 Hz\n");
  const CommandResult missing = runMixdown({"analyze", "--masking", "a.wav", "none.wav"}, folder.path());
  CHECK(missing.exitStatus == 1);
  CHECK(missing.err.find("none.wav") != std::string::npos);
}

}  // namespace mixdown::test
