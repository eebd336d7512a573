// Bad inputs that need more than a session file beside the usual fixtures
// (tests/sessions/bad/ holds those): bytes no editor writes (byte order marks,
// UTF-16, invalid UTF-8, a megabyte on one line, 100 000 levels of nesting),
// audio with absurd headers or 64 channels, directories and devices given as
// files, outputs through linked folders, and a render stopped part-way by a
// file-size limit, SIGINT, SIGTERM, a vanished output folder or a non-finite
// sample. Each runs the real binary and checks the exit status, the message
// (file, JSON Pointer or audio path, and what is wrong) and that nothing in the
// folder was created, truncated, changed or removed.

#include <doctest/doctest.h>
#include <sndfile.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/refusal_check.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;

constexpr int kRateHz = 48000;

/** One track "a" playing source. */
std::string oneTrackSession(const std::string& source) {
  return R"({"mixdown": 1, "tracks": [{"name": "a", "source": ")" + source + R"("}]})";
}

/** Runs validate and render on the session file name in folder; both must refuse with every part in stderr. */
void checkBothRefuse(const fs::path& folder, const std::string& name, const std::vector<std::string>& stderrParts) {
  for (const std::string command : {"validate", "render"}) {
    INFO("mixdown " << command << " " << name);
    checkMixdownRefuses({command, name}, folder, 1, stderrParts);
  }
}

/** A 16-bit PCM WAV written by libsndfile, then its header's rate (and byte rate) set to rateHz. */
void writeWavWithHeaderRate(const fs::path& path, std::uint32_t rateHz) {
  writeWav(path, sineChannels(440.0, kRateHz, 4800, 1, 0.5), kRateHz, SampleFormat::Pcm16);
  std::string bytes = readTextFile(path);
  // Canonical WAV: "RIFF" size "WAVE" "fmt " size, then format tag (2 bytes), channels (2),
  // sample rate (4, at offset 24) and byte rate (4, at offset 28), little-endian.
  REQUIRE(bytes.compare(12, 4, "fmt ") == 0);
  const std::uint32_t byteRateHz = rateHz * 2u;  // one 16-bit channel
  for (int index = 0; index < 4; ++index) {
    bytes[static_cast<std::size_t>(24 + index)] = static_cast<char>((rateHz >> (8 * index)) & 0xFF);
    bytes[static_cast<std::size_t>(28 + index)] = static_cast<char>((byteRateHz >> (8 * index)) & 0xFF);
  }
  writeTextFile(path, bytes);
}

/** Writes text as audio/NAME's session NAME.json in folder. */
std::string writeSessionFor(const TempDir& folder, const std::string& name, const std::string& text) {
  writeTextFile(folder.file(name + ".json"), text);
  return name + ".json";
}

/**
 * A mono 16-bit source of lengthS seconds, played by `repeats` back-to-back
 * clips of one track: a render long enough to be stopped part-way.
 */
std::string writeLongSession(const TempDir& folder, double lengthS, int repeats) {
  writeWav(folder.file("audio/tone.wav"),
           sineChannels(220.0, kRateHz, static_cast<std::int64_t>(lengthS * kRateHz), 1, 0.25), kRateHz,
           SampleFormat::Pcm16);
  nlohmann::json clips = nlohmann::json::array();
  for (int repeat = 0; repeat < repeats; ++repeat) clips.push_back({{"file", "audio/tone.wav"}, {"at_s", lengthS * repeat}});
  writeJsonFile(folder.file("long.json"),
                {{"mixdown", 1},
                 {"tracks", {{{"name", "tone"}, {"source", clips}}}},
                 {"outputs", {{"mix", {{"bit_depth", "float"}}}, {"stems", {{"of", "tracks"}}}}}});
  return "long.json";
}

/** /bin/sh running script with $0 = the mixdown binary and $1, $2, ... = arguments. */
std::vector<std::string> shellArguments(const std::string& script, const std::vector<std::string>& arguments) {
  std::vector<std::string> all{"-c", script, mixdownBinary().string()};
  all.insert(all.end(), arguments.begin(), arguments.end());
  return all;
}

/**
 * Starts `mixdown render long.json -o out`, waits until a file named like $2
 * of more than $3 bytes appears under out (the render is at the point the test
 * wants), prints "reached", then runs $1 ("kill -TERM" say, or "rm -rf") on
 * the render's process id or on out; the shell's status is mixdown's.
 */
constexpr const char* kActMidRenderScript = R"sh(
"$0" render long.json -o out -j 1 --no-progress &
pid=$!
tries=0
until [ -n "$(find out -name "$2" -size "+$3"c 2>/dev/null)" ]; do
  tries=$((tries + 1))
  [ "$tries" -gt 6000 ] && break
  sleep 0.01
done
[ "$tries" -le 6000 ] && echo reached
case "$1" in
  rm*) $1 out ;;
  *) $1 "$pid" ;;
esac
wait "$pid"
)sh";

/** Any temporary file of the render holding data: it is writing. */
const std::vector<std::string> kWhenWriting{"*.mixdown-tmp", "0"};

}  // namespace

TEST_CASE("robustness: bytes that are not a JSON session are refused with their line and column") {
  TempDir folder;
  makeBadSessionFixtures(folder.path());
  const std::string valid = oneTrackSession("audio/sine.wav");
  struct Case {
    const char* name;
    std::string bytes;
    std::vector<std::string> stderrParts;
  };
  const std::string megabyte(1 << 20, 'x');
  const std::vector<Case> cases = {
      {"utf16", std::string("\xFF\xFE{\0\"\0", 6),
       {"utf16.json: line 1, column 1: syntax error while parsing value - invalid literal; last read: '\\xFF'"}},
      {"invalid_utf8_in_name", R"({"mixdown": 1, "tracks": [{"name": "a)" "\xFF\xFE" R"(b", "source": "audio/sine.wav"}]})",
       {"invalid_utf8_in_name.json: line 1, column 38: syntax error while parsing value - invalid string: "
        "ill-formed UTF-8 byte; last read: '\"a\\xFF'"}},
      {"invalid_utf8_in_key", "{\"mixdown\": 1, \"tr\xC3\x28\": 1}",
       {"invalid_utf8_in_key.json: line 1, column 20: syntax error while parsing object key - invalid string: "
        "ill-formed UTF-8 byte; last read: '\"tr\\xC3('"}},
      // A comment of 1 MiB and a trailing comma, all on line 1: the column is exact, the message short.
      {"megabyte_line", R"({"_comment": ")" + megabyte + R"(", "mixdown": 1, "tracks": [],})",
       {"megabyte_line.json: line 1, column 1048621: syntax error while parsing object key - unexpected '}'"}},
      // A 1 MiB string broken by a raw control character: the quote of the input is cut to its end.
      {"megabyte_string", R"({"_comment": ")" + megabyte + "\x01\"}",
       {"megabyte_string.json: line 1, column 1048591: syntax error while parsing value - invalid string: control "
        "character U+0001 (SOH) must be escaped to \\u0001; last read: '..." + std::string(32, 'x') + "<U+0001>'"}},
      {"nested_arrays", std::string(100000, '[') + std::string(100000, ']'),
       {"nested_arrays.json: /0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0"
        "/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0: arrays and objects nested more than 64 levels deep"}},
      {"nested_objects", R"({"mixdown": 1, "tracks": )" + [] {
         std::string text;
         for (int level = 0; level < 100000; ++level) text += R"({"a": )";
         return text + "1" + std::string(100000, '}');
       }() + "}",
       {"nested_objects.json: /tracks/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a"
        "/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a: arrays and objects nested more than 64 levels deep"}},
      // Deep nesting in a comment of an otherwise valid session with a variant: the variant copies
      // the document, which recursed once per level (a stack overflow under AddressSanitizer).
      {"nested_in_comment",
       R"({"_comment": )" + std::string(100000, '[') + std::string(100000, ']') +
           R"(, "mixdown": 1, "tracks": [{"name": "a", "source": "audio/sine.wav"}],
              "variants": {"quiet": {"set": {"tracks.a.gain_db": -6}}}})",
       {"nested_in_comment.json: /_comment/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0"
        "/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0: arrays and objects nested more than 64 levels deep"}},
      {"huge_number_literal", R"({"mixdown": 1, "tracks": [{"name": "a", "source": "audio/sine.wav", "pan": 1)" +
                                  std::string(400, '0') + "e999}]}",
       {"huge_number_literal.json: line 1, column 76: number 1" + std::string(39, '0') +
        "... is too large to be finite"}},
  };
  for (const Case& testCase : cases) {
    INFO("case: " << testCase.name);
    checkBothRefuse(folder.path(), writeSessionFor(folder, testCase.name, testCase.bytes), testCase.stderrParts);
  }
  // RFC 8259 lets a parser ignore a UTF-8 byte order mark; mixdown does.
  writeTextFile(folder.file("bom.json"), "\xEF\xBB\xBF" + valid);
  const CommandResult bom = runMixdown({"validate", "bom.json"}, folder.path());
  INFO(bom.err);
  CHECK(bom.exitStatus == 0);
}

TEST_CASE("robustness: a directory, a device or a missing path given as the session is refused") {
  TempDir folder;
  fs::create_directory(folder.file("folder.json"));
  checkBothRefuse(folder.path(), "folder.json", {"folder.json: /: cannot read the session file: it is a directory"});
  checkBothRefuse(folder.path(), "missing.json", {"missing.json: /: cannot read the session file: no such file"});
  // An endless device is cut off at the size limit instead of filling memory.
  checkBothRefuse(folder.path(), "/dev/zero", {"/dev/zero: /: cannot read the session file: it is larger than 64 MB"});
}

TEST_CASE("robustness: audio sources that are empty, directories, corrupt or of absurd rates are refused by name") {
  TempDir folder;
  makeBadSessionFixtures(folder.path());
  writeTextFile(folder.file("audio/zero_bytes.wav"), "");
  fs::create_directory(folder.file("audio/folder.wav"));
  // A WAV header promising 48000 frames, then 3000 bytes of noise.
  std::string corrupt = readTextFile(folder.file("audio/sine.wav")).substr(0, 44);
  for (int index = 0; index < 3000; ++index) corrupt += static_cast<char>((index * 7919) % 251);
  writeTextFile(folder.file("audio/corrupt.wav"), corrupt);
  // 24-bit stereo (read as raw bytes): a header promising 48000 frames, then 3001 frames and part of one.
  std::string corrupt24 = "RIFF";
  const auto append32 = [&](std::uint32_t value) {
    for (int byte = 0; byte < 4; ++byte) corrupt24 += static_cast<char>((value >> (8 * byte)) & 0xff);
  };
  const auto append16 = [&](std::uint16_t value) {
    for (int byte = 0; byte < 2; ++byte) corrupt24 += static_cast<char>((value >> (8 * byte)) & 0xff);
  };
  append32(36 + 48000 * 6);
  corrupt24 += "WAVEfmt ";
  append32(16);
  append16(1);  // PCM
  append16(2);
  append32(48000);
  append32(48000 * 6);
  append16(6);
  append16(24);
  corrupt24 += "data";
  append32(48000 * 6);
  for (int index = 0; index < 3001 * 6 + 4; ++index) corrupt24 += static_cast<char>((index * 7919) % 251);
  writeTextFile(folder.file("audio/corrupt24.wav"), corrupt24);
  writeTextFile(folder.file("audio/riff_garbage.wav"), "RIFF\x10\0\0\0WAVEjunk" + std::string(200, '\x5A'));
  writeWavWithHeaderRate(folder.file("audio/zero_hz.wav"), 0);
  writeWavWithHeaderRate(folder.file("audio/one_hz.wav"), 1);
  writeWavWithHeaderRate(folder.file("audio/max_int_hz.wav"), 2147483647u);
  writeWav(folder.file("audio/channels64.wav"), sineChannels(440.0, kRateHz, 4800, 64, 0.25), kRateHz,
           SampleFormat::Pcm16);
  struct Case {
    const char* name;
    std::string session;
    std::string message;  // after "NAME.json: "
  };
  const std::vector<Case> cases = {
      {"zero_bytes", oneTrackSession("audio/zero_bytes.wav"),
       R"(/tracks/0/source: "audio/zero_bytes.wav" holds no audio frames (0 bytes))"},
      {"folder_as_audio", oneTrackSession("audio/folder.wav"),
       R"(/tracks/0/source: cannot open "audio/folder.wav": is a directory)"},
      {"corrupt", oneTrackSession("audio/corrupt.wav"),
       R"(/tracks/0/source: "audio/corrupt.wav" is truncated: header promises 48000 frames, file holds 1500)"},
      {"corrupt_24_bit", oneTrackSession("audio/corrupt24.wav"),
       R"(/tracks/0/source: "audio/corrupt24.wav" is truncated: header promises 48000 frames, file holds 3001)"},
      {"riff_garbage", oneTrackSession("audio/riff_garbage.wav"),
       R"(/tracks/0/source: cannot open "audio/riff_garbage.wav": not a readable audio file)"},
      {"zero_hz", oneTrackSession("audio/zero_hz.wav"),
       R"(/tracks/0/source: cannot open "audio/zero_hz.wav": not a readable audio file (its header gives no valid sample rate or channel count))"},
      {"one_hz", oneTrackSession("audio/one_hz.wav"),
       R"(/tracks/0/source: "audio/one_hz.wav" has a sample rate of 1 Hz; mixdown reads 1000 to 2822400 Hz)"},
      {"max_int_hz", oneTrackSession("audio/max_int_hz.wav"),
       R"(/tracks/0/source: "audio/max_int_hz.wav" has a sample rate of 2147483647 Hz; mixdown reads 1000 to 2822400 Hz)"},
      {"channels64", oneTrackSession("audio/channels64.wav"),
       R"(/tracks/0/source: "audio/channels64.wav" has 64 channels; choose at most 2 with "channels")"},
      {"channel_64_of_64",
       R"({"mixdown": 1, "tracks": [{"name": "a", "source": [{"file": "audio/channels64.wav", "channels": [0, 64]}]}]})",
       R"(/tracks/0/source/0/channels/1: channel 64 does not exist: "audio/channels64.wav" has 64 (channels count from 0))"},
      {"control_characters_in_path", oneTrackSession(R"(audio/a\nmixdown: fine\u001b[2J.wav)"),
       R"(/tracks/0/source: cannot open "audio/a\nmixdown: fine\x1B[2J.wav": no such file)"},
  };
  for (const Case& testCase : cases) {
    INFO("case: " << testCase.name);
    const std::string name = writeSessionFor(folder, testCase.name, testCase.session);
    checkBothRefuse(folder.path(), name, {name + ": " + testCase.message});
  }

  // The last two of 64 channels play.
  writeSessionFor(folder, "last_two_of_64",
                  R"({"mixdown": 1, "tracks": [{"name": "a", "source": [{"file": "audio/channels64.wav", "channels": [62, 63]}]}]})");
  const CommandResult played = runMixdown({"render", "last_two_of_64.json", "-o", "played"}, folder.path());
  INFO(played.err);
  CHECK(played.exitStatus == 0);
  CHECK(fs::is_regular_file(folder.file("played/mix.wav")));
}

TEST_CASE("robustness: sources, clips and impulse responses cut in half or of unchecked formats are refused") {
  TempDir folder;
  makeBadSessionFixtures(folder.path());
  const PlanarSamples sine = sineChannels(440.0, kRateHz, kRateHz, 1, 0.25);
  const auto write = [&](const std::string& name, int sfFormat, bool halve) {
    writeSoundFile(folder.file("audio/" + name), sine, kRateHz, sfFormat);
    if (halve) fs::resize_file(folder.file("audio/" + name), fs::file_size(folder.file("audio/" + name)) / 2);
  };
  write("half.au", SF_FORMAT_AU | SF_FORMAT_PCM_16, true);
  write("half_ima.wav", SF_FORMAT_WAV | SF_FORMAT_IMA_ADPCM, true);
  write("half.sds", SF_FORMAT_SDS | SF_FORMAT_PCM_16, true);
  write("whole.au", SF_FORMAT_AU | SF_FORMAT_PCM_16, false);
  write("whole.caf", SF_FORMAT_CAF | SF_FORMAT_PCM_16, false);
  const std::string halfAu = R"("audio/half.au" is truncated: header promises 48000 frames, file holds 23994)";
  const std::string sds = R"("audio/half.sds" is in the SDS (Midi Sample Dump Standard) format, whose length)";
  const std::string halfIma = R"("audio/half_ima.wav" is truncated: header promises audio data up to byte )";
  struct Case {
    const char* name;
    std::string session;
    std::string message;  // after "NAME.json: "
  };
  const std::vector<Case> cases = {
      {"half_au", oneTrackSession("audio/half.au"), "/tracks/0/source: " + halfAu},
      {"half_sds", oneTrackSession("audio/half.sds"), "/tracks/0/source: " + sds},
      {"half_ima_clip",
       R"({"mixdown": 1, "tracks": [{"name": "a", "source": [{"file": "audio/half_ima.wav", "at_s": 1}]}]})",
       "/tracks/0/source/0/file: " + halfIma},
      {"half_au_ir",
       R"({"mixdown": 1, "tracks": [{"name": "a", "source": "audio/sine.wav",
           "inserts": [{"type": "convolution", "ir": "audio/half.au"}]}]})",
       "/tracks/0/inserts/0/ir: " + halfAu},
  };
  for (const Case& testCase : cases) {
    INFO("case: " << std::string(testCase.name));
    const std::string name = writeSessionFor(folder, testCase.name, testCase.session);
    checkBothRefuse(folder.path(), name, {name + ": " + testCase.message});
  }

  // Whole files of the newly checked containers still play.
  for (const std::string file : {"whole.au", "whole.caf"}) {
    INFO(file);
    writeSessionFor(folder, "whole", oneTrackSession("audio/" + file));
    const CommandResult played = runMixdown({"render", "whole.json", "-o", "played"}, folder.path());
    INFO(played.err);
    CHECK(played.exitStatus == 0);
    CHECK(fs::is_regular_file(folder.file("played/mix.wav")));
  }
}

#if !defined(__SANITIZE_ADDRESS__)  // sanitizer builds never silence standard error
TEST_CASE("robustness: a damaged MP3 is refused with one message, not the decoder's notes before it") {
  TempDir folder;
  makeBadSessionFixtures(folder.path());
  // Five seconds of MP3, one byte in 97 overwritten after the first 2000, then cut in half: mpg123
  // prints "Note: Illegal Audio-MPEG-Header ..." and "Trying to resync" for it on standard error.
  writeSoundFile(folder.file("audio/damaged.mp3"), sineChannels(440.0, kRateHz, 5 * kRateHz, 1, 0.25), kRateHz,
                 SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III);
  std::string bytes = readTextFile(folder.file("audio/damaged.mp3"));
  for (std::size_t index = 2000; index < bytes.size(); index += 97) bytes[index] = static_cast<char>(index * 31 % 251);
  writeTextFile(folder.file("audio/damaged.mp3"), bytes.substr(0, bytes.size() / 2));
  const std::string name = writeSessionFor(folder, "damaged", oneTrackSession("audio/damaged.mp3"));
  // checkRefused also requires every line of stderr to be one of mixdown's messages.
  checkBothRefuse(folder.path(), name, {name + ": /tracks/0/source: \"audio/damaged.mp3\""});
}
#endif

TEST_CASE("robustness: an unreadable audio source is refused with the reason") {
  if (runningAsRoot()) {
    MESSAGE("skipped as root: permissions do not apply");
    return;
  }
  TempDir folder;
  makeBadSessionFixtures(folder.path());
  fs::copy_file(folder.file("audio/sine.wav"), folder.file("audio/locked.wav"));
  fs::permissions(folder.file("audio/locked.wav"), fs::perms::none);
  const std::string name = writeSessionFor(folder, "locked", oneTrackSession("audio/locked.wav"));
  checkBothRefuse(folder.path(), name, {R"(locked.json: /tracks/0/source: cannot open "audio/locked.wav": permission denied)"});
  fs::permissions(folder.file("audio/locked.wav"), fs::perms::owner_all);
}

TEST_CASE("robustness: outputs that reach inputs through a linked folder are refused") {
  TempDir folder;
  makeBadSessionFixtures(folder.path());
  fs::create_directory_symlink("audio", folder.file("linked"));
  writeSessionFor(folder, "through_link",
                  R"({"mixdown": 1, "tracks": [{"name": "a", "source": "audio/sine.wav"}],
                      "outputs": {"dir": "linked", "mix": {"file": "sine.wav"}}})");
  checkBothRefuse(folder.path(), "through_link.json",
                  {R"(through_link.json: /outputs/mix/file: output "linked/sine.wav" is also an input of the session)"});
  // The same through -o: the folder given on the command line is a link to the sources.
  writeSessionFor(folder, "mix_named_sine",
                  R"({"mixdown": 1, "tracks": [{"name": "a", "source": "audio/sine.wav"}], "outputs": {"mix": {"file": "sine.wav"}}})");
  checkMixdownRefuses({"render", "mix_named_sine.json", "-o", "linked"}, folder.path(), 1,
                      {R"(mix_named_sine.json: /outputs/mix/file: output "linked/sine.wav" is also an input of the session)"});
}

TEST_CASE("robustness: an output folder that cannot be created is refused and nothing is left") {
  TempDir folder;
  makeBadSessionFixtures(folder.path());
  writeSessionFor(folder, "session", oneTrackSession("audio/sine.wav"));
  // /proc refuses new folders even to root.
  checkMixdownRefuses({"render", "session.json", "-o", "/proc/mixdown-robustness/out"}, folder.path(), 1,
                      {R"(session.json: /outputs/mix/file: cannot create the folder "/proc/mixdown-robustness": No such file or directory)"});
  CHECK_FALSE(fs::exists("/proc/mixdown-robustness"));
}

TEST_CASE("robustness: a file-size limit hit mid-render ends with a message, status 75 and no output") {
  TempDir folder;
  writeLongSession(folder, 10.0, 6);
  // ulimit -f counts 512-byte blocks in POSIX sh: 256 KiB, a fraction of the 1 min float mix.
  checkRefused("/bin/sh", {"-c", R"(ulimit -f 512; exec "$0" render long.json -o out -j 1 --no-progress)",
                           mixdownBinary().string()},
               folder.path(), 75, {"long.json: ", "file too large"});
  CHECK_FALSE(fs::exists(folder.file("out")));
}

TEST_CASE("robustness: SIGINT, SIGTERM, SIGHUP and SIGPIPE mid-render remove every temporary file and write nothing") {
  // The shell's convention: 128 + the signal's number.
  const std::vector<std::pair<std::string, int>> signals{{"INT", 130}, {"TERM", 143}, {"HUP", 129}, {"PIPE", 141}};
  for (const auto& [signal, status] : signals) {
    INFO("SIG" << signal);
    TempDir folder;
    // 30 minutes of audio: minutes of work, stopped within the first second.
    writeLongSession(folder, 10.0, 180);
    const std::string reason =
        signal == "PIPE" ? "stopped: the reader of its output went away (SIGPIPE)" : "interrupted (SIG" + signal + ")";
    const CommandResult result =
        checkRefused("/bin/sh", shellArguments(kActMidRenderScript, {"kill -" + signal, kWhenWriting[0], kWhenWriting[1]}),
                     folder.path(), status,
                     {"long.json: render " + reason, "its outputs were not written"});
    CHECK(result.out.find("reached") != std::string::npos);
    CHECK_FALSE(fs::exists(folder.file("out")));
  }
}

TEST_CASE("robustness: SIGTERM during loudness normalisation stops the render with 143 and writes nothing") {
  TempDir folder;
  // 4 minutes at 48 kHz: a pass 2 of seconds, stopped within its first 64 KiB.
  writeLongSession(folder, 10.0, 24);
  nlohmann::json session = nlohmann::json::parse(readTextFile(folder.file("long.json")));
  session["master"]["loudness"] = {{"target_lufs", -16.0}};
  session["outputs"] = {{"mix", {{"bit_depth", 24}}}};
  writeJsonFile(folder.file("long.json"), session);
  // With master.loudness the first pass captures the master elsewhere: the mix temporary holds
  // audio (more than 64 KiB) only in the normalisation pass.
  const CommandResult result = checkRefused(
      "/bin/sh", shellArguments(kActMidRenderScript, {"kill -TERM", ".mix.wav.????????????????.mixdown-tmp", "65536"}),
      folder.path(), 143, {"long.json: render interrupted (SIGTERM)"});
  CHECK(result.out.find("reached") != std::string::npos);
  CHECK_FALSE(fs::exists(folder.file("out")));
}

TEST_CASE("robustness: an output folder removed mid-render ends with a message and nothing half-written") {
  TempDir folder;
  // 30 s of audio: the render goes on into the unlinked temporary files until it fails at the end.
  writeLongSession(folder, 10.0, 3);
  const CommandResult result =
      checkRefused("/bin/sh", shellArguments(kActMidRenderScript, {"rm -rf", kWhenWriting[0], kWhenWriting[1]}),
                   folder.path(), 1,
                   {R"(long.json: cannot write "out/)"});
  CHECK(result.out.find("reached") != std::string::npos);
  CHECK_FALSE(fs::exists(folder.file("out")));
}

TEST_CASE("robustness: a WAV output that must pass 4 GiB is refused by validate, --dry-run and render before rendering") {
  TempDir folder;
  makeBadSessionFixtures(folder.path());
  // Milliseconds typed into seconds: the clip starts 4.4 hours in, with the automatic tail (at most 30 s) the
  // 24-bit stereo mix may take 16031 s x 48000 x 6 bytes = 4.62 GB.
  writeSessionFor(folder, "late",
                  R"({"mixdown": 1, "tracks": [{"name": "a", "source": [{"file": "audio/sine.wav", "at_s": 16000}]}]})");
  const std::string message =
      R"(late.json: /outputs/mix/file: "mix.wav" would be 4.62 GB (769488000 frames), past the 4 GiB a wav file can hold: use .w64, .rf64 or .flac)";
  for (const std::vector<std::string>& command : std::vector<std::vector<std::string>>{
           {"validate", "late.json"}, {"render", "late.json", "--dry-run"}, {"render", "late.json", "-o", "out"}}) {
    INFO(command[0] << (command.size() > 2 ? " " + command[2] : ""));
    checkMixdownRefuses(command, folder.path(), 1, {message});
  }
}

TEST_CASE("robustness: a non-finite sample part-way through the mix stops the render with its time") {
  TempDir folder;
  // Float sources: one holds a NaN at 0.5 s; the other a finite 3e38 that a +24 dB fader
  // (x 15.85) takes past the largest float (3.4e38) to infinity at 0.25 s.
  PlanarSamples withNan = sineChannels(440.0, kRateHz, kRateHz, 1, 0.5);
  withNan[0][kRateHz / 2] = std::numeric_limits<float>::quiet_NaN();
  writeWav(folder.file("audio/nan.wav"), withNan, kRateHz, SampleFormat::Float32);
  PlanarSamples loud = sineChannels(440.0, kRateHz, kRateHz, 1, 0.5);
  loud[0][kRateHz / 4] = 3e38f;
  writeWav(folder.file("audio/loud.wav"), loud, kRateHz, SampleFormat::Float32);
  writeSessionFor(folder, "nan", oneTrackSession("audio/nan.wav"));
  writeSessionFor(folder, "overflow",
                  R"({"mixdown": 1, "tracks": [{"name": "a", "source": "audio/loud.wav", "gain_db": 24}]})");
  // The message gives the start of the 4096-frame render block holding the sample: 20480 / 48000 s
  // for frame 24000, 8192 / 48000 s for frame 12000.
  checkMixdownRefuses({"render", "nan.json", "-o", "out"}, folder.path(), 1,
                      {"nan.json: the mix holds a non-finite sample near 0.426667 s"});
  checkMixdownRefuses({"render", "overflow.json", "-o", "out"}, folder.path(), 1,
                      {"overflow.json: the mix holds a non-finite sample near 0.170667 s"});
}

TEST_CASE("robustness: 5000 tracks validate in under a second and render in memory bounded by the graph") {
  // ru_maxrss of RUSAGE_CHILDREN: the largest resident set of any child waited for so far, in KiB.
  const auto largestChildKiB = [] {
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return static_cast<long>(usage.ru_maxrss);
  };
  const auto writeSession = [](const TempDir& folder, const std::string& name, int trackCount, double lengthS) {
    writeWav(folder.file("audio/" + name + ".wav"),
             sineChannels(1000.0, kRateHz, static_cast<std::int64_t>(lengthS * kRateHz), 1, 0.001), kRateHz,
             SampleFormat::Pcm16);
    nlohmann::json tracks = nlohmann::json::array();
    for (int index = 0; index < trackCount; ++index)
      tracks.push_back({{"name", "track " + std::to_string(index)},
                        {"source", "audio/" + name + ".wav"},
                        {"pan", -1.0 + 2.0 * index / trackCount}});
    writeJsonFile(folder.file(name + ".json"), {{"mixdown", 1}, {"tail_s", 0}, {"tracks", tracks}});
    return name + ".json";
  };
  const auto render = [](const TempDir& folder, const std::string& session) {
    const CommandResult result = runMixdown({"render", session, "-o", session + ".out", "-j", "2"}, folder.path());
    INFO(result.err);
    CHECK(result.exitStatus == 0);
    CHECK(fs::is_regular_file(folder.file(session + ".out/mix.wav")));
  };
  TempDir folder;

  // Sources are read block by block: the same 100 tracks playing 10 times longer take no more
  // memory (10 % for the allocator; a render that kept a second of stereo float per track would
  // add 37 MiB).
  render(folder, writeSession(folder, "one_second", 100, 1.0));
  const long oneSecondKiB = largestChildKiB();
  render(folder, writeSession(folder, "ten_seconds", 100, 10.0));
  const long tenSecondsKiB = largestChildKiB();
  MESSAGE("100 tracks: largest resident set " << oneSecondKiB / 1024 << " MiB for 1 s, " << tenSecondsKiB / 1024
                                              << " MiB for 10 s");
  CHECK(static_cast<double>(tenSecondsKiB) <= 1.1 * static_cast<double>(oneSecondKiB));

  constexpr int kTracks = 5000;
  const std::string many = writeSession(folder, "many", kTracks, 0.1);
  const auto started = std::chrono::steady_clock::now();
  const CommandResult validated = runMixdown({"validate", many}, folder.path());
  const double validateS = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  INFO(validated.err);
  CHECK(validated.exitStatus == 0);
  CHECK(validated.out.find("5000 tracks") != std::string::npos);
  MESSAGE("validating 5000 tracks took " << validateS << " s");
#if !defined(__SANITIZE_ADDRESS__)
  CHECK(validateS < 1.0);
#endif
  render(folder, many);
  const long manyKiB = largestChildKiB();
  MESSAGE("5000 tracks: largest resident set " << manyKiB / 1024 << " MiB");
  // Per track, at most 8 stereo float buffers of one 4096-frame render block (32 KiB each: the
  // reader's, the track's, fader, pan and sum): 256 KiB, so 1250 MiB for 5000 tracks; the
  // sanitizers' shadow memory and quarantine double that.
  constexpr long kBoundKiB = kTracks * 8L * 32L;
#if defined(__SANITIZE_ADDRESS__)
  CHECK(manyKiB < 2 * kBoundKiB);
#else
  CHECK(manyKiB < kBoundKiB);
#endif
}

}  // namespace mixdown::test
