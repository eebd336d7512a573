// `mixdown compare` end to end: CLI.md 1.1's JSON keys first, a saved target
// giving the references' comparison again, PLR as true peak minus loudness,
// the text report, and every usage and input error with its exit status.

#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

constexpr int kRate = 44100;

void writeFixtures(const TempDir& folder) {
  writeWav(folder.file("mix.wav"), noiseChannels(5 * kRate, 2, 0.25, 21), kRate, SampleFormat::Float32);
  writeWav(folder.file("ref1.wav"), noiseChannels(5 * kRate, 2, 0.4, 22), kRate, SampleFormat::Float32);
  writeWav(folder.file("ref2.wav"), sineChannels(440.0, 48000, 5 * 48000, 2, 0.3), 48000, SampleFormat::Pcm16);
}

std::vector<std::string> keysOf(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

}  // namespace

TEST_CASE("cli compare --json: the loudness offset and bands come first, and a saved target compares the same") {
  TempDir folder;
  writeFixtures(folder);
  const TreeSnapshot before = snapshotTree(folder.path());
  const CommandResult result =
      runMixdown({"compare", "mix.wav", "--reference", "ref1.wav", "-r", "ref2.wav", "--json"}, folder.path());
  INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
  REQUIRE(result.exitStatus == 0);
  CHECK(snapshotTree(folder.path()) == before);  // inputs untouched, nothing written
  const auto document = nlohmann::ordered_json::parse(result.out);
  const std::vector<std::string> keys = keysOf(document);
  REQUIRE(keys.size() >= 3);
  CHECK(keys[0] == "loudness_offset_lu");
  CHECK(keys[1] == "bands");
  CHECK(keys[2] == "broad_bands");
  const std::vector<std::string> bandKeys = keysOf(document["broad_bands"][0]);
  REQUIRE(bandKeys.size() >= 4);
  CHECK(bandKeys[0] == "low_hz");
  CHECK(bandKeys[1] == "high_hz");
  CHECK(bandKeys[2] == "mid_diff_db");
  CHECK(bandKeys[3] == "side_diff_db");
  // Bands up to the lower Nyquist frequency of the files: 22050 Hz.
  REQUIRE(document["broad_bands"].size() == 4);
  CHECK(document["broad_bands"][3]["high_hz"] == 22050.0);
  CHECK(document["bands"].back()["high_hz"].get<double>() < 22050.0);
  // PLR = true peak - integrated loudness, for the mix and the target.
  for (const char* side : {"mix_loudness", "target_loudness"}) {
    const auto& figures = document[side];
    CHECK(std::abs(figures["plr_db"].get<double>() -
                   (figures["true_peak_dbtp"].get<double>() - figures["integrated_lufs"].get<double>())) <= 0.0101);
  }
  CHECK(std::abs(document["loudness_offset_lu"].get<double>() -
                 (document["mix_loudness"]["integrated_lufs"].get<double>() -
                  document["target_loudness"]["integrated_lufs"].get<double>())) <= 0.0101);

  // Save the target, then compare with it: the same figures, within the file's rounding.
  const CommandResult saved = runMixdown({"compare", "-r", "ref1.wav", "-r", "ref2.wav", "--save-target", "genre.json"}, folder.path());
  INFO("save stderr:\n" << saved.err);
  REQUIRE(saved.exitStatus == 0);
  const auto target = nlohmann::ordered_json::parse(readTextFile(folder.file("genre.json")));
  CHECK(target["mixdown_target"] == 1);
  CHECK(target["references"] == nlohmann::json({"ref1.wav", "ref2.wav"}));
  const CommandResult again = runMixdown({"compare", "mix.wav", "--target", "genre.json", "--json"}, folder.path());
  INFO("again stderr:\n" << again.err);
  REQUIRE(again.exitStatus == 0);
  const auto second = nlohmann::ordered_json::parse(again.out);
  CHECK(std::abs(second["loudness_offset_lu"].get<double>() - document["loudness_offset_lu"].get<double>()) <= 0.0101);
  REQUIRE(second["bands"].size() == document["bands"].size());
  for (size_t b = 0; b < document["bands"].size(); ++b) {
    CAPTURE(b);
    const auto& one = document["bands"][b]["mid_diff_db"];
    const auto& two = second["bands"][b]["mid_diff_db"];
    REQUIRE(one.is_null() == two.is_null());
    if (!one.is_null()) CHECK(std::abs(one.get<double>() - two.get<double>()) <= 0.0201);
  }
}

TEST_CASE("cli compare: the text report names the mix, the loudness offset and the broad bands") {
  TempDir folder;
  writeFixtures(folder);
  const CommandResult result = runMixdown({"compare", "mix.wav", "--reference", "ref1.wav"}, folder.path());
  INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
  REQUIRE(result.exitStatus == 0);
  CHECK(result.out.find("mix.wav against ref1.wav, loudness-matched") != std::string::npos);
  CHECK(result.out.find("below 250 Hz") != std::string::npos);
  CHECK(result.out.find("above 8000 Hz") != std::string::npos);
  CHECK(result.out.find("PLR") != std::string::npos);
}

TEST_CASE("cli compare: usage errors exit 2, and unreadable, silent or wrong files and bad targets exit 1, named") {
  TempDir folder;
  writeFixtures(folder);
  writeWav(folder.file("surround.wav"), noiseChannels(kRate, 3, 0.1, 1), kRate, SampleFormat::Float32);
  writeWav(folder.file("silence.wav"), {std::vector<float>(kRate, 0.0f)}, kRate, SampleFormat::Float32);
  writeTextFile(folder.file("not-audio.wav"), "hello");
  writeTextFile(folder.file("bad-target.json"), R"({"mixdown_target": 1, "references": [], "loudness": {}, "bands": [], "broad_bands": []})");
  writeTextFile(folder.file("broken.json"), "{\"mixdown_target\": 1,");
  struct Case {
    std::vector<std::string> arguments;
    int status;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"compare", "mix.wav"}, 2, "give --reference"},
      {{"compare", "mix.wav", "-r", "ref1.wav", "--target", "bad-target.json"}, 2, "not both"},
      {{"compare", "-r", "ref1.wav"}, 2, "give the MIX"},
      {{"compare", "mix.wav", "--target", "bad-target.json", "--save-target", "x.json"}, 2, "--save-target"},
      {{"compare", "mix.wav", "-r", "missing.wav"}, 1, "missing.wav"},
      {{"compare", "mix.wav", "-r", "not-audio.wav"}, 1, "not-audio.wav"},
      {{"compare", "mix.wav", "-r", "surround.wav"}, 1, "surround.wav\": it has 3 channels"},
      {{"compare", "silence.wav", "-r", "ref1.wav"}, 1, "silence.wav"},
      {{"compare", "mix.wav", "--target", "bad-target.json"}, 1, "bad-target.json\": /loudness: \"integrated_lufs\" is missing"},
      {{"compare", "mix.wav", "--target", "broken.json"}, 1, "broken.json"},
  };
  for (const Case& c : cases) {
    const CommandResult result = runMixdown(c.arguments, folder.path());
    CAPTURE(c.arguments.back());
    INFO("stderr:\n" << result.err);
    CHECK(result.exitStatus == c.status);
    CHECK(result.err.find(c.message) != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(folder.file("x.json")));
}

}  // namespace mixdown::test
