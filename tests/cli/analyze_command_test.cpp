// `mixdown analyze` end to end: the table for people, the JSON keys of CLI.md
// in their order, nulls for silence, and unreadable files named on stderr with
// exit status 1 (CLI.md: "an input ... failed"), usage errors with 2.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/** The number after label in a table row ("  label   -19.99 LUFS"), NaN if the row is missing or shows "-". */
double tableValue(const std::string& table, const std::string& label) {
  const std::regex row("\\n  " + label + " +([-+0-9.]+)");
  std::smatch match;
  if (!std::regex_search(table, match, row) || match[1] == "-") return std::nan("");
  return std::stod(match[1]);
}

/**
 * A folder with three 48 kHz files of 5 s: tone.wav (stereo 1 kHz sine, amplitude 0.1 =
 * -20 dBFS, channel 2 60 degrees behind), mono.wav (the same sine, mono, 16-bit) and
 * silence.wav (stereo zeros).
 */
struct AnalyzeFolder {
  AnalyzeFolder() {
    writeWav(folder.file("tone.wav"), sineChannels(1000.0, 48000, 5 * 48000, 2, 0.1), 48000, SampleFormat::Float32);
    writeWav(folder.file("mono.wav"), sineChannels(1000.0, 48000, 5 * 48000, 1, 0.1), 48000, SampleFormat::Pcm16);
    writeWav(folder.file("silence.wav"), PlanarSamples(2, std::vector<float>(5 * 48000, 0.0f)), 48000,
             SampleFormat::Float32);
  }
  TempDir folder;
};

}  // namespace

TEST_CASE("cli analyze: prints a table per file") {
  AnalyzeFolder files;
  const TreeSnapshot before = snapshotTree(files.folder.path());
  const CommandResult result = runMixdown({"analyze", "tone.wav", "mono.wav"}, files.folder.path());
  INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
  CHECK(result.exitStatus == 0);
  CHECK(result.err.empty());
  CHECK(contains(result.out, "tone.wav: 2 channels, 48000 Hz, 5.000 s (240000 frames)\n"));
  CHECK(contains(result.out, "mono.wav: 1 channel, 48000 Hz, 5.000 s (240000 frames)\n"));
  const std::string tone = result.out.substr(0, result.out.find("mono.wav"));
  const std::string mono = result.out.substr(result.out.find("mono.wav"));
  // A stereo 1 kHz sine at -20 dBFS reads -20 LUFS (Tech 3341); RMS is 3.01 dB below the peak.
  CHECK(std::abs(tableValue(tone, "integrated loudness") + 20.0) < 0.1);
  CHECK(tableValue(tone, "loudness range") == doctest::Approx(0.0).epsilon(0.01));
  CHECK(std::abs(tableValue(tone, "max momentary") + 20.0) < 0.1);
  CHECK(std::abs(tableValue(tone, "max short-term") + 20.0) < 0.1);
  CHECK(std::abs(tableValue(tone, "true peak") + 20.0) < 0.1);
  CHECK(std::abs(tableValue(tone, "sample peak") + 20.0) < 0.01);
  CHECK(std::abs(tableValue(tone, "RMS") + 23.01) < 0.01);
  // Channels 60 degrees apart: r = cos 60 = 0.5; the fold-down keeps cos^2 30 = 0.75 of the power (-1.25 LU).
  CHECK(tableValue(tone, "stereo correlation") == doctest::Approx(0.5).epsilon(1e-3));
  CHECK(std::abs(tableValue(tone, "mono fold-down") - (-20.0 + 10.0 * std::log10(0.75))) < 0.1);
  CHECK(contains(tone, " LU against stereo)"));
  CHECK(contains(tone, "  DC offset "));
  // A mono file reads 3.01 LU below the same sine in two channels, and has no correlation.
  CHECK(std::abs(tableValue(mono, "integrated loudness") + 23.01) < 0.1);
  CHECK_FALSE(contains(mono, "stereo correlation"));
  CHECK_FALSE(contains(mono, "mono fold-down"));
  CHECK(describeTreeChanges(before, snapshotTree(files.folder.path())).empty());
}

TEST_CASE("cli analyze: --json prints CLI.md's keys in order, numbers or null") {
  AnalyzeFolder files;
  const CommandResult result =
      runMixdown({"analyze", "--json", "tone.wav", "silence.wav", "mono.wav"}, files.folder.path());
  INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
  REQUIRE(result.exitStatus == 0);
  const nlohmann::ordered_json entries = nlohmann::ordered_json::parse(result.out);
  REQUIRE(entries.is_array());
  REQUIRE(entries.size() == 3);
  const std::vector<std::string> expectedKeys{"file",
                                              "channels",
                                              "sample_rate",
                                              "frames",
                                              "duration_s",
                                              "integrated_lufs",
                                              "loudness_range_lu",
                                              "max_momentary_lufs",
                                              "max_short_term_lufs",
                                              "true_peak_dbtp",
                                              "sample_peak_dbfs",
                                              "rms_dbfs",
                                              "dc_offset",
                                              "correlation",
                                              "non_finite_samples"};
  for (const auto& entry : entries) {
    std::vector<std::string> keys;
    for (const auto& item : entry.items()) keys.push_back(item.key());
    CHECK(keys == expectedKeys);
    for (const auto& item : entry.items()) {
      INFO(item.key());
      CHECK((item.value().is_null() || item.value().is_number() || item.value().is_string()));
      if (item.value().is_number_float()) CHECK(std::isfinite(item.value().get<double>()));
    }
  }
  const auto& tone = entries[0];
  CHECK(tone["file"] == "tone.wav");
  CHECK(tone["channels"] == 2);
  CHECK(tone["sample_rate"] == 48000);
  CHECK(tone["frames"] == 240000);
  CHECK(tone["duration_s"].get<double>() == 5.0);
  CHECK(std::abs(tone["integrated_lufs"].get<double>() + 20.0) < 0.1);
  CHECK(tone["loudness_range_lu"].get<double>() == 0.0);
  CHECK(std::abs(tone["max_momentary_lufs"].get<double>() + 20.0) < 0.1);
  CHECK(std::abs(tone["max_short_term_lufs"].get<double>() + 20.0) < 0.1);
  CHECK(std::abs(tone["true_peak_dbtp"].get<double>() + 20.0) < 0.1);
  CHECK(tone["sample_peak_dbfs"].get<double>() == doctest::Approx(-20.0).epsilon(1e-3));
  CHECK(tone["rms_dbfs"].get<double>() == doctest::Approx(-23.01).epsilon(1e-3));
  CHECK(std::abs(tone["dc_offset"].get<double>()) < 1e-5);
  CHECK(tone["correlation"].get<double>() == doctest::Approx(0.5).epsilon(1e-3));
  // Levels are rounded to 0.01 dB as in report.json.
  const double rms = tone["rms_dbfs"].get<double>();
  CHECK(std::abs(rms * 100.0 - std::round(rms * 100.0)) < 1e-6);

  const auto& silence = entries[1];
  CHECK(silence["file"] == "silence.wav");
  for (const char* key : {"integrated_lufs", "loudness_range_lu", "max_momentary_lufs", "max_short_term_lufs",
                          "true_peak_dbtp", "sample_peak_dbfs", "rms_dbfs", "correlation"}) {
    INFO(key);
    CHECK(silence[key].is_null());
  }
  CHECK(silence["dc_offset"].get<double>() == 0.0);

  CHECK(tone["non_finite_samples"] == 0);
  const auto& mono = entries[2];
  CHECK(mono["channels"] == 1);
  CHECK(mono["correlation"].is_null());
  CHECK(std::abs(mono["integrated_lufs"].get<double>() + 23.01) < 0.1);
}

TEST_CASE("cli analyze: an unreadable file is named on stderr, the others are measured, exit 1") {
  AnalyzeFolder files;
  makeBadSessionFixtures(files.folder.path());
  const TreeSnapshot before = snapshotTree(files.folder.path());
  const CommandResult result =
      runMixdown({"analyze", "--json", "missing.wav", "tone.wav", "audio/not_audio.wav"}, files.folder.path());
  INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
  CHECK(result.exitStatus == 1);
  CHECK(contains(result.err, "mixdown: error: cannot open \"missing.wav\": no such file\n"));
  CHECK(contains(result.err, "mixdown: error: cannot open \"audio/not_audio.wav\": not a readable audio file"));
  const nlohmann::ordered_json entries = nlohmann::ordered_json::parse(result.out);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0]["file"] == "tone.wav");
  CHECK(describeTreeChanges(before, snapshotTree(files.folder.path())).empty());

  const CommandResult table = runMixdown({"analyze", "missing.wav"}, files.folder.path());
  CHECK(table.exitStatus == 1);
  CHECK(table.out.empty());
  CHECK(contains(table.err, "mixdown: error: cannot open \"missing.wav\": no such file\n"));
}

TEST_CASE("cli analyze: NaN and infinite samples are counted in the table and the JSON, with a warning") {
  TempDir folder;
  // 1 s stereo float: all NaN; and a sine with 3 samples of +inf and 2 of -inf in channel 2.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  writeWav(folder.file("nan.wav"), PlanarSamples(2, std::vector<float>(48000, nan)), 48000, SampleFormat::Float32);
  PlanarSamples spiked = sineChannels(1000.0, 48000, 48000, 2, 0.1);
  for (const std::size_t frame : {100u, 200u, 300u}) spiked[1][frame] = std::numeric_limits<float>::infinity();
  for (const std::size_t frame : {400u, 500u}) spiked[1][frame] = -std::numeric_limits<float>::infinity();
  writeWav(folder.file("inf.wav"), spiked, 48000, SampleFormat::Float32);

  const CommandResult json = runMixdown({"analyze", "--json", "nan.wav", "inf.wav"}, folder.path());
  INFO("stdout:\n" << json.out << "\nstderr:\n" << json.err);
  REQUIRE(json.exitStatus == 0);
  const nlohmann::json entries = nlohmann::json::parse(json.out);
  CHECK(entries[0]["non_finite_samples"] == 96000);
  CHECK(entries[1]["non_finite_samples"] == 5);
  CHECK(contains(json.err, "mixdown: warning: \"nan.wav\" holds 96000 non-finite samples (NaN or infinite)"));
  CHECK(contains(json.err, "mixdown: warning: \"inf.wav\" holds 5 non-finite samples (NaN or infinite)"));

  const CommandResult table = runMixdown({"analyze", "nan.wav"}, folder.path());
  INFO("stdout:\n" << table.out);
  CHECK(tableValue(table.out, "non-finite samples") == 96000.0);
}

TEST_CASE("cli analyze: usage errors exit 2") {
  AnalyzeFolder files;
  const CommandResult noFiles = runMixdown({"analyze"}, files.folder.path());
  CHECK(noFiles.exitStatus == 2);
  CHECK(contains(noFiles.err, "mixdown: error: "));
  CHECK(contains(noFiles.err, "FILE"));
  const CommandResult badOption = runMixdown({"analyze", "--frobnicate", "tone.wav"}, files.folder.path());
  CHECK(badOption.exitStatus == 2);
  CHECK(contains(badOption.err, "--frobnicate"));
}

}  // namespace mixdown::test
