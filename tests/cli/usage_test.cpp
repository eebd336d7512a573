// The command line itself: usage errors exit 2 with a message, help and
// version exit 0, and --set problems exit 1 naming what is wrong.

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/** A folder with the fixture audio and ok.json: one track "vocal" on audio/sine.wav. */
struct ValidSessionFolder {
  ValidSessionFolder() {
    makeBadSessionFixtures(folder.path());
    writeJsonFile(folder.file("ok.json"), {{"mixdown", 1},
                                           {"tail_s", 0},
                                           {"tracks", {{{"name", "vocal"}, {"source", "audio/sine.wav"}}}}});
  }
  TempDir folder;
};

/** Runs mixdown in folder and checks it failed with status, wrote nothing, and said every part. */
void checkFails(const std::vector<std::string>& arguments, int status, const std::vector<std::string>& parts) {
  ValidSessionFolder valid;
  const TreeSnapshot before = snapshotTree(valid.folder.path());
  const CommandResult result = runMixdown(arguments, valid.folder.path());
  std::string shown = "mixdown";
  for (const auto& argument : arguments) shown += " " + argument;
  INFO("command: " << shown);
  INFO("status: " << result.status() << "\nstderr:\n" << result.err);
  CHECK(result.exitStatus == status);
  CHECK(contains(result.err, "mixdown: error: "));
  for (const auto& part : parts) {
    INFO("expected in stderr: " << part);
    CHECK(contains(result.err, part));
  }
  CHECK(describeTreeChanges(before, snapshotTree(valid.folder.path())).empty());
}

}  // namespace

TEST_CASE("cli: usage errors exit 2 with a message") {
  checkFails({"render", "--frobnicate", "ok.json"}, 2, {"--frobnicate"});
  checkFails({"validate", "--frobnicate", "ok.json"}, 2, {"--frobnicate"});
  checkFails({"render"}, 2, {"SESSION"});
  checkFails({"validate"}, 2, {"SESSION"});
  checkFails({"render", "--mix-only", "--stems-only", "ok.json"}, 2, {"--mix-only", "--stems-only"});
  checkFails({"render", "--variant", "loud", "--no-variants", "ok.json"}, 2, {"--variant", "--no-variants"});
  checkFails({"render", "-j", "0", "ok.json"}, 2, {"--jobs"});
  checkFails({"render", "-o", "", "ok.json"}, 2, {"--output-dir", "an empty folder name"});
  checkFails({"help", "frobnicate"}, 2, {"frobnicate"});
  checkFails({}, 2, {});
}

TEST_CASE("cli: an unknown subcommand exits 2 and is named, with a suggestion") {
  checkFails({"frobnicate", "ok.json"}, 2, {"unknown command \"frobnicate\""});
  checkFails({"rendr", "ok.json"}, 2, {"unknown command \"rendr\" (did you mean \"render\"?)"});
}

TEST_CASE("cli: --version and help render exit 0") {
  TempDir folder;
  const CommandResult version = runMixdown({"--version"}, folder.path());
  CHECK(version.exitStatus == 0);
  // "mixdown MAJOR.MINOR.PATCH"
  const std::string prefix = "mixdown ";
  REQUIRE(version.out.rfind(prefix, 0) == 0);
  const std::string number = version.out.substr(prefix.size(), version.out.find_first_of(" \n", prefix.size()) - prefix.size());
  CHECK(std::count(number.begin(), number.end(), '.') == 2);
  CHECK(number.find_first_not_of("0123456789.") == std::string::npos);
  CHECK(std::isdigit(static_cast<unsigned char>(number.front())));
  CHECK(std::isdigit(static_cast<unsigned char>(number.back())));

  const CommandResult help = runMixdown({"help"}, folder.path());
  CHECK(help.exitStatus == 0);
  CHECK(!help.out.empty());

  const CommandResult renderHelp = runMixdown({"help", "render"}, folder.path());
  INFO("stdout:\n" << renderHelp.out);
  CHECK(renderHelp.exitStatus == 0);
  for (const char* option : {"SESSION", "--output-dir", "--set", "--variant", "--no-variants", "--mix-only",
                             "--stems-only", "--jobs", "--dry-run"})
    CHECK_MESSAGE(contains(renderHelp.out, option), std::string(option));
  CHECK(describeTreeChanges({}, snapshotTree(folder.path())).empty());
}

TEST_CASE("cli: mixdown help lists the commands") {
  TempDir folder;
  const CommandResult help = runMixdown({"help"}, folder.path());
  INFO("stdout:\n" << help.out);
  CHECK(help.exitStatus == 0);
  for (const char* command : {"render", "validate", "schema"}) CHECK_MESSAGE(contains(help.out, command), std::string(command));
}

TEST_CASE("cli: --set errors exit 1 and name the path or the value") {
  for (const std::string command : {"validate", "render"}) {
    INFO("command: " << command);
    checkFails({command, "ok.json", "--set", "tracks.nosuch.gain_db=-6"}, 1,
               {"ok.json: ", "tracks.nosuch.gain_db", "nothing named \"nosuch\""});
    checkFails({command, "ok.json", "--set", "tracks.7.gain_db=-6"}, 1, {"ok.json: ", "tracks.7.gain_db", "index 7"});
    checkFails({command, "ok.json", "--set", "tracks.vocal.gian_db=-6"}, 1,
               {"ok.json: /tracks/0/gian_db: unknown key \"gian_db\" (did you mean \"gain_db\"?)"});
    checkFails({command, "ok.json", "--set", "nosuch.gain_db=1"}, 1, {"ok.json: ", "nosuch"});
    checkFails({command, "ok.json", "--set", "tracks.vocal.gain_db=loud"}, 1,
               {"ok.json: ", "tracks.vocal.gain_db", "VALUE must be JSON, got loud"});
    checkFails({command, "ok.json", "--set", "tracks.vocal.gain_db=40"}, 1,
               {"ok.json: /tracks/0/gain_db: must be <= 24, got 40"});
    checkFails({command, "ok.json", "--set", "tracks.vocal.mute=\"yes\""}, 1,
               {"ok.json: /tracks/0/mute: must be true or false, got \"yes\""});
  }
}

TEST_CASE("cli: --set text of 80 kB is quoted in messages by its first 256 bytes and its size") {
  const std::string huge(80000, 'x');
  // Its start, then its size in bytes: a pointer "/" + huge shows 255 of them, a quote 256.
  const std::string shown = std::string(255, 'x') + "...";
  for (const std::string& assignment : {"tracks.vocal.gain_db=" + huge, huge + "=1", huge}) {
    ValidSessionFolder valid;
    const CommandResult result = runMixdown({"validate", "ok.json", "--set", assignment}, valid.folder.path());
    INFO("stderr: " << result.err.substr(0, 2000));
    CHECK(result.exitStatus == 1);
    CHECK(contains(result.err, shown));
    CHECK(contains(result.err, " (8000"));
    CHECK(result.err.size() < 2000);
  }
}

TEST_CASE("cli: a malformed --set and a missing session file are errors") {
  ValidSessionFolder valid;
  const CommandResult noEquals = runMixdown({"validate", "ok.json", "--set", "tracks.vocal.gain_db"}, valid.folder.path());
  CHECK((noEquals.exitStatus == 1 || noEquals.exitStatus == 2));
  CHECK(contains(noEquals.err, "PATH=VALUE"));

  checkFails({"validate", "missing.json"}, 1, {"missing.json: ", "no such file"});
  checkFails({"render", "missing.json"}, 1, {"missing.json: ", "no such file"});
}

TEST_CASE("cli: an unknown --variant is a usage error (exit 2) that lists the session's variants, nothing is rendered") {
  checkFails({"render", "ok.json", "--variant", "loud"}, 2,
             {"ok.json: --variant: no variant named \"loud\"; the session has no variants"});
  ValidSessionFolder valid;
  writeJsonFile(valid.folder.file("two.json"),
                {{"mixdown", 1},
                 {"tail_s", 0},
                 {"tracks", {{{"name", "vocal"}, {"source", "audio/sine.wav"}}}},
                 {"variants", {{"quiet", {{"set", {{"tracks.vocal.gain_db", -6}}}}}, {"instrumental", {{"mute", {"vocal"}}}}}}});
  const TreeSnapshot before = snapshotTree(valid.folder.path());
  // One known and one unknown: still nothing is rendered, not even the known one.
  const CommandResult result = runMixdown({"render", "two.json", "--variant", "quiet", "--variant", "loud"}, valid.folder.path());
  INFO(result.err);
  CHECK(result.exitStatus == 2);
  CHECK(contains(result.err, "mixdown: error: two.json: --variant: no variant named \"loud\"; its variants: instrumental, quiet"));
  CHECK(describeTreeChanges(before, snapshotTree(valid.folder.path())).empty());
}

}  // namespace mixdown::test
