// `mixdown diff` end to end: renders of the real renderer compared with each
// other, a 24-bit render with one sample changed by one step (2^-23, -138.47
// dBFS), shape differences, render folders with one-sided and non-audio files,
// and the exit statuses of CLI.md (0 within the threshold, 1 differ, 2 usage
// error or unreadable file).

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/render_support.h"
#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/integer_pcm.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;

constexpr int kRate = 48000;
constexpr std::int64_t kFrames = kRate;  // 1 s: long enough for integrated loudness
constexpr std::int64_t kChangedFrame = 30001;
constexpr std::int32_t kHalfScaleCode24 = 1 << 22;
// 20 log10(2^-23): one step of 24-bit PCM in dBFS.
const double kOneStepDbfs = -23.0 * 20.0 * std::log10(2.0);

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string formatted(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

/** "first difference at T s (frame F)" as the human output prints it, T = frame / rate to the microsecond. */
std::string firstDifferenceText(std::int64_t frame) {
  return "first difference at " + formatted("%.6f", static_cast<double>(frame) / kRate) + " s (frame " +
         std::to_string(frame) + ")";
}

/** Writes a copy of a 24-bit stereo file with the sample at frame, channel 1, one step higher (lower at full scale). */
void writeWithOneStepChanged(const fs::path& source, const fs::path& target, std::int64_t frame) {
  std::vector<std::int32_t> codes = readIntegerCodes(source, 24);
  std::int32_t& code = codes[static_cast<std::size_t>(frame * 2 + 1)];
  code += code < (1 << 23) - 1 ? 1 : -1;
  writeIntegerCodes(target, codes, 2, kRate, 24);
}

CommandResult diff(const std::vector<std::string>& arguments, const fs::path& folder) {
  std::vector<std::string> command = {"diff"};
  command.insert(command.end(), arguments.begin(), arguments.end());
  return runMixdown(command, folder);
}

/** The folder of a one-track render (24-bit mix and stem of 1 s of stereo noise) rendered twice, to first/ and second/.
 */
struct TwoRenders {
  TwoRenders() {
    folder.writeSource("noise.wav", noiseChannels(kFrames, 2, 0.5, 20250101), kRate);
    nlohmann::json session = oneTrackSession("audio/noise.wav", "-3dB");
    session["outputs"] = {{"mix", {{"file", "mix.wav"}, {"bit_depth", 24}}},
                          {"stems", {{"of", "tracks"}, {"bit_depth", 24}}}};
    folder.writeSession(session);
    folder.run({"render", "session.json", "-o", "first", "--quiet"});
    folder.run({"render", "session.json", "-o", "second", "--quiet"});
  }
  RenderFolder folder;
};

}  // namespace

TEST_CASE("cli diff: a render against the same render made again is identical, exit 0") {
  TwoRenders renders;
  const fs::path& root = renders.folder.path();
  const TreeSnapshot before = snapshotTree(root);

  const CommandResult files = diff({"first/mix.wav", "second/mix.wav"}, root);
  INFO("stdout:\n" << files.out << "\nstderr:\n" << files.err);
  CHECK(files.exitStatus == 0);
  CHECK(files.err.empty());
  CHECK(files.out == "first/mix.wav vs second/mix.wav: identical\n");

  const CommandResult folders = diff({"first", "second"}, root);
  INFO("stdout:\n" << folders.out << "\nstderr:\n" << folders.err);
  CHECK(folders.exitStatus == 0);
  CHECK(folders.err.empty());
  CHECK(folders.out ==
        "mix.wav: identical\n"
        "report.json: identical\n"
        "stems/source.wav: identical\n"
        "first vs second: 3 files: 3 identical\n");

  const CommandResult json = diff({"first/mix.wav", "second/mix.wav", "--json"}, root);
  CHECK(json.exitStatus == 0);
  const auto parsed = nlohmann::ordered_json::parse(json.out);
  std::vector<std::string> keys;
  for (const auto& item : parsed.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"a", "b", "identical", "max_abs_diff_dbfs", "residual_rms_dbfs",
                                         "first_diff_frame", "loudness_diff_lu", "length_diff_frames"});
  CHECK(parsed["a"] == "first/mix.wav");
  CHECK(parsed["identical"] == true);
  CHECK(parsed["max_abs_diff_dbfs"].is_null());
  CHECK(parsed["residual_rms_dbfs"].is_null());
  CHECK(parsed["first_diff_frame"].is_null());
  CHECK(parsed["loudness_diff_lu"] == 0.0);
  CHECK(parsed["length_diff_frames"] == 0);
  CHECK(describeTreeChanges(before, snapshotTree(root)).empty());
}

TEST_CASE("cli diff: a render with one sample changed by one 24-bit step differs below -138.47 dBFS, at its frame") {
  TwoRenders renders;
  const fs::path& root = renders.folder.path();
  writeWithOneStepChanged(root / "first/mix.wav", root / "changed.wav", kChangedFrame);
  // One sample of 2^-23 among 2 * kFrames samples.
  const double residualRmsDbfs = kOneStepDbfs - 10.0 * std::log10(2.0 * kFrames);
  const std::string details = firstDifferenceText(kChangedFrame) + ", max |b - a| " + formatted("%.1f", kOneStepDbfs) +
                              " dBFS, residual RMS " + formatted("%.1f", residualRmsDbfs) + " dBFS, loudness ";

  SUBCASE("the default threshold, -120 dBFS, admits it: exit 0, but not identical") {
    const CommandResult result = diff({"first/mix.wav", "changed.wav"}, root);
    INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
    CHECK(result.exitStatus == 0);
    CHECK(contains(result.out, "first/mix.wav vs changed.wav: within -120 dBFS threshold: " + details));
  }
  SUBCASE("a threshold below the change: differs, exit 1") {
    const CommandResult result = diff({"first/mix.wav", "changed.wav", "--threshold-db", "-140"}, root);
    INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
    CHECK(result.exitStatus == 1);
    CHECK(result.err.empty());
    CHECK(contains(result.out, "first/mix.wav vs changed.wav: differ: " + details));
    CHECK((contains(result.out, "loudness +0.00 LU") || contains(result.out, "loudness -0.00 LU")));
  }
  SUBCASE("-inf admits no difference at all: exit 1") {
    CHECK(diff({"first/mix.wav", "changed.wav", "--threshold-db", "-inf"}, root).exitStatus == 1);
  }
  SUBCASE("a threshold above the change: exit 0") {
    CHECK(diff({"first/mix.wav", "changed.wav", "--threshold-db", "-138"}, root).exitStatus == 0);
  }
  SUBCASE("--json: CLI.md's figures") {
    const CommandResult result = diff({"first/mix.wav", "changed.wav", "--json", "--threshold-db=-140"}, root);
    INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
    CHECK(result.exitStatus == 1);
    const auto parsed = nlohmann::json::parse(result.out);
    CHECK(parsed["identical"] == false);
    CHECK(parsed["first_diff_frame"] == kChangedFrame);
    CHECK(parsed["max_abs_diff_dbfs"].get<double>() == doctest::Approx(kOneStepDbfs).epsilon(0.006 / 138.47));
    CHECK(parsed["residual_rms_dbfs"].get<double>() == doctest::Approx(residualRmsDbfs).epsilon(0.006 / 188.3));
    CHECK(std::abs(parsed["loudness_diff_lu"].get<double>()) <= 0.005);
    CHECK(parsed["length_diff_frames"] == 0);
  }
  SUBCASE("in a render folder: the changed file is named, the others identical") {
    fs::copy(root / "second", root / "third", fs::copy_options::recursive);
    fs::copy_file(root / "changed.wav", root / "third/mix.wav", fs::copy_options::overwrite_existing);
    const CommandResult result = diff({"first", "third", "--threshold-db", "-140"}, root);
    INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
    CHECK(result.exitStatus == 1);
    CHECK(contains(result.out, "mix.wav: differ: " + firstDifferenceText(kChangedFrame)));
    CHECK(contains(result.out, "\nreport.json: identical\nstems/source.wav: identical\n"));
    CHECK(contains(result.out, "first vs third: 3 files: 2 identical, 1 differ\n"));
    CHECK(diff({"first", "third"}, root).exitStatus == 0);
  }
}

TEST_CASE("cli diff: different lengths, channel counts or rates always differ, whatever the threshold") {
  TempDir folder;
  const auto codes = noiseCodes(100, 1, kHalfScaleCode24, 5);
  auto longer = codes;
  longer.push_back(0);
  writeIntegerCodes(folder.file("a.wav"), codes, 1, kRate, 24);
  writeIntegerCodes(folder.file("longer.wav"), longer, 1, kRate, 24);
  std::vector<std::int32_t> twoChannels;
  for (const std::int32_t code : codes) twoChannels.insert(twoChannels.end(), {code, code});
  writeIntegerCodes(folder.file("stereo.wav"), twoChannels, 2, kRate, 24);
  writeIntegerCodes(folder.file("rate.wav"), codes, 1, 44100, 24);

  const CommandResult length = diff({"a.wav", "longer.wav", "--threshold-db", "100"}, folder.path());
  INFO("stdout:\n" << length.out << "\nstderr:\n" << length.err);
  CHECK(length.exitStatus == 1);
  CHECK(length.out ==
        "a.wav vs longer.wav: differ: lengths 100 vs 101 frames, the common 100 frames are equal, loudness -\n");
  const auto lengthJson = nlohmann::json::parse(diff({"a.wav", "longer.wav", "--json"}, folder.path()).out);
  CHECK(lengthJson["identical"] == false);
  CHECK(lengthJson["length_diff_frames"] == 1);
  CHECK(lengthJson["first_diff_frame"].is_null());
  CHECK(lengthJson["loudness_diff_lu"].is_null());  // 100 frames are shorter than the 400 ms loudness block

  const CommandResult channels = diff({"a.wav", "stereo.wav", "--threshold-db", "100"}, folder.path());
  CHECK(channels.exitStatus == 1);
  CHECK(channels.out == "a.wav vs stereo.wav: differ: channels 1 vs 2, loudness -\n");
  const auto channelsJson = nlohmann::json::parse(diff({"a.wav", "stereo.wav", "--json"}, folder.path()).out);
  CHECK(channelsJson["max_abs_diff_dbfs"].is_null());
  CHECK(channelsJson["residual_rms_dbfs"].is_null());
  CHECK(channelsJson["length_diff_frames"] == 0);

  const CommandResult rate = diff({"a.wav", "rate.wav"}, folder.path());
  CHECK(rate.exitStatus == 1);
  CHECK(rate.out == "a.wav vs rate.wav: differ: sample rates 48000 vs 44100 Hz, loudness -\n");
}

TEST_CASE("cli diff: render folders, file by file: one-sided files and report.json bytes differ") {
  TempDir folder;
  const auto mix = noiseCodes(kFrames, 2, kHalfScaleCode24, 6);
  const auto kick = noiseCodes(kFrames, 2, kHalfScaleCode24, 7);
  for (const char* side : {"old", "new"}) {
    writeIntegerCodes(folder.file(side) / "mix.wav", mix, 2, kRate, 24);
    writeIntegerCodes(folder.file(side) / "stems/kick.wav", kick, 2, kRate, 24);
  }
  writeWithOneStepChanged(folder.file("old/stems/kick.wav"), folder.file("new/stems/kick.wav"), kChangedFrame);
  writeTextFile(folder.file("old/report.json"), "{\"peak\": -3.01}\n");
  writeTextFile(folder.file("new/report.json"), "{\"peak\": -3.02}\n");
  writeIntegerCodes(folder.file("old/stems/snare.wav"), kick, 2, kRate, 24);
  writeIntegerCodes(folder.file("new/stems/hats.wav"), kick, 2, kRate, 24);

  const CommandResult result = diff({"old", "new"}, folder.path());
  INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
  CHECK(result.exitStatus == 1);
  CHECK(result.err.empty());
  const std::vector<std::string> lines = {
      "mix.wav: identical\n",
      "report.json: differ (not audio: compared byte for byte)\n",
      "stems/hats.wav: only in new\n",
      "stems/kick.wav: within -120 dBFS threshold: " + firstDifferenceText(kChangedFrame),
      "stems/snare.wav: only in old\n",
      "old vs new: 5 files: 1 identical, 1 within threshold, 1 differ, 1 only in old, 1 only in new\n"};
  std::size_t position = 0;
  for (const auto& line : lines) {
    INFO("line: " << line);
    const std::size_t found = result.out.find(line, position);
    CHECK(found != std::string::npos);
    if (found != std::string::npos) position = found + line.size();
  }

  const CommandResult json = diff({"old", "new", "--json", "--threshold-db", "-140"}, folder.path());
  CHECK(json.exitStatus == 1);
  const auto entries = nlohmann::json::parse(json.out);
  REQUIRE(entries.size() == 5);
  std::vector<std::string> summary;
  for (const auto& entry : entries)
    summary.push_back(entry["file"].get<std::string>() + " " + entry["status"].get<std::string>());
  CHECK(summary == std::vector<std::string>{"mix.wav identical", "report.json differ", "stems/hats.wav only_in_b",
                                            "stems/kick.wav differ", "stems/snare.wav only_in_a"});
  CHECK(entries[1] == nlohmann::json{{"file", "report.json"},
                                     {"status", "differ"},
                                     {"a", "old/report.json"},
                                     {"b", "new/report.json"},
                                     {"identical", false}});
  CHECK(entries[2]["a"].is_null());
  CHECK(entries[2]["b"] == "new/stems/hats.wav");
  CHECK(entries[2]["identical"] == false);
  CHECK(entries[3]["first_diff_frame"] == kChangedFrame);
  CHECK(entries[3]["max_abs_diff_dbfs"].get<double>() == doctest::Approx(kOneStepDbfs).epsilon(0.006 / 138.47));
  CHECK(entries[4]["a"] == "old/stems/snare.wav");
  CHECK(entries[4]["b"].is_null());

  // Without the one-sided files and with equal reports, only the one-step change is left: within -120 dBFS.
  fs::remove(folder.file("old/stems/snare.wav"));
  fs::remove(folder.file("new/stems/hats.wav"));
  fs::copy_file(folder.file("old/report.json"), folder.file("new/report.json"), fs::copy_options::overwrite_existing);
  CHECK(diff({"old", "new"}, folder.path()).exitStatus == 0);
  CHECK(diff({"old", "new", "--threshold-db", "-140"}, folder.path()).exitStatus == 1);
}

TEST_CASE("cli diff: unreadable files and usage errors exit 2 and are named") {
  TempDir folder;
  makeBadSessionFixtures(folder.path());
  const auto run = [&](const std::vector<std::string>& arguments) { return diff(arguments, folder.path()); };

  const CommandResult missing = run({"audio/sine.wav", "audio/missing.wav"});
  CHECK(missing.exitStatus == 2);
  CHECK(missing.out.empty());
  CHECK(contains(missing.err, "mixdown: error: cannot open \"audio/missing.wav\": no such file"));

  const CommandResult notAudio = run({"audio/not_audio.wav", "audio/sine.wav"});
  CHECK(notAudio.exitStatus == 2);
  CHECK(contains(notAudio.err, "\"audio/not_audio.wav\": not a readable audio file"));

  const CommandResult truncated = run({"audio/sine.wav", "audio/truncated.wav"});
  CHECK(truncated.exitStatus == 2);
  CHECK(contains(truncated.err, "\"audio/truncated.wav\" is truncated"));

  const CommandResult fileAndFolder = run({"audio/sine.wav", "audio"});
  CHECK(fileAndFolder.exitStatus == 2);
  CHECK(contains(fileAndFolder.err, "\"audio\" is a folder but \"audio/sine.wav\" is not"));

  const CommandResult missingFolder = run({"audio", "no_such_folder"});
  CHECK(missingFolder.exitStatus == 2);
  CHECK(contains(missingFolder.err, "cannot open \"no_such_folder\": no such file or folder"));

  CHECK(run({"audio/sine.wav"}).exitStatus == 2);
  CHECK(run({"audio/sine.wav", "audio/sine.wav", "--threshold-db", "loud"}).exitStatus == 2);
  const CommandResult notANumber = run({"audio/sine.wav", "audio/sine.wav", "--threshold-db", "nan"});
  CHECK(notANumber.exitStatus == 2);
  CHECK(contains(notANumber.err, "--threshold-db"));

  // In folders, an unreadable audio file is named and the others still compared; the status is 2.
  fs::create_directories(folder.file("copy"));
  fs::copy_file(folder.file("audio/sine.wav"), folder.file("copy/sine.wav"));
  fs::copy_file(folder.file("audio/not_audio.wav"), folder.file("copy/not_audio.wav"));
  fs::create_directories(folder.file("original"));
  fs::copy_file(folder.file("audio/sine.wav"), folder.file("original/sine.wav"));
  fs::copy_file(folder.file("audio/not_audio.wav"), folder.file("original/not_audio.wav"));
  const CommandResult folders = run({"original", "copy"});
  INFO("stdout:\n" << folders.out << "\nstderr:\n" << folders.err);
  CHECK(folders.exitStatus == 2);
  CHECK(contains(folders.err, "\"original/not_audio.wav\": not a readable audio file"));
  CHECK(contains(folders.out, "sine.wav: identical\n"));
  CHECK(contains(folders.out, "original vs copy: 2 files: 1 identical, 1 unreadable\n"));
}

}  // namespace mixdown::test
