// The shipped sessions (sessions/*.json) validate, and `mixdown schema`
// agrees with the validator: it accepts every shipped session and rejects the
// structural bad sessions (checked with python3-jsonschema, draft 2020-12).

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/bad_sessions.h"
#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;

const fs::path kPython = "/usr/bin/python3";

fs::path sessionsDir() { return sourceDir() / "sessions"; }

std::vector<fs::path> shippedSessions() {
  std::vector<fs::path> sessions;
  for (const auto& entry : fs::directory_iterator(sessionsDir()))
    if (entry.path().extension() == ".json") sessions.push_back(entry.path());
  std::sort(sessions.begin(), sessions.end());
  return sessions;
}

/**
 * The demo audio in sessions/audio, as `make demo` writes it (hall_ir.wav is
 * the last file the generator writes). When it is missing, the generator
 * writes into a private folder whose files are then renamed into place one by
 * one, so concurrent test processes never see a half-written file (the files
 * are deterministic, so replacing one with another copy changes nothing).
 */
void ensureDemoAudio() {
  const fs::path audio = sessionsDir() / "audio";
  // (reference.wav came later: a folder without it is from an older generator.)
  if (fs::exists(audio / "hall_ir.wav") && fs::exists(audio / "reference.wav")) return;
  const fs::path staging = sessionsDir() / (".audio-staging-" + std::to_string(getpid()));
  const CommandResult generated = runProgram(MIXDOWN_DEMO_AUDIO_BINARY, {staging.string()}, sessionsDir());
  INFO("make-demo-audio: " << generated.status() << "\n" << generated.err);
  REQUIRE(generated.exitStatus == 0);
  fs::create_directories(audio);
  for (const auto& entry : fs::directory_iterator(staging)) fs::rename(entry.path(), audio / entry.path().filename());
  fs::remove_all(staging);
  REQUIRE(fs::exists(audio / "hall_ir.wav"));
}

bool pythonHasJsonSchema() {
  if (!fs::exists(kPython)) return false;
  TempDir folder;
  return runProgram(kPython, {"-c", "import jsonschema"}, folder.path()).exitStatus == 0;
}

/** The document without its comment keys (those beginning with '_'), at every depth. */
nlohmann::json withoutComments(const nlohmann::json& value) {
  if (value.is_array()) {
    nlohmann::json stripped = nlohmann::json::array();
    for (const auto& element : value) stripped.push_back(withoutComments(element));
    return stripped;
  }
  if (!value.is_object()) return value;
  nlohmann::json stripped = nlohmann::json::object();
  for (const auto& [key, member] : value.items())
    if (key.empty() || key.front() != '_') stripped[key] = withoutComments(member);
  return stripped;
}

/** Runs the schema script; returns its stdout lines by instance path ("ok" or "invalid: ..."). */
std::map<std::string, std::string> validateWithSchema(const fs::path& schema, const std::vector<fs::path>& instances,
                                                      int& exitStatus) {
  std::vector<std::string> arguments{(sourceDir() / "tests" / "support" / "validate_with_schema.py").string(),
                                     schema.string()};
  for (const auto& instance : instances) arguments.push_back(instance.string());
  const CommandResult result = runProgram(kPython, arguments, schema.parent_path());
  INFO("validate_with_schema.py: " << result.status() << "\n" << result.out << result.err);
  REQUIRE((result.exitStatus == 0 || result.exitStatus == 1));
  exitStatus = result.exitStatus;
  std::map<std::string, std::string> verdicts;
  std::size_t start = 0;
  while (start < result.out.size()) {
    const std::size_t end = std::min(result.out.find('\n', start), result.out.size());
    const std::string line = result.out.substr(start, end - start);
    start = end + 1;
    for (const auto& instance : instances) {
      const std::string path = instance.string();
      if (line == "ok: " + path) verdicts[path] = "ok";
      else if (line.starts_with("invalid: " + path + ": ")) verdicts[path] = line;
    }
  }
  return verdicts;
}

}  // namespace

TEST_CASE("cli: every session in sessions/ passes mixdown validate") {
  ensureDemoAudio();
  const std::vector<fs::path> sessions = shippedSessions();
  REQUIRE(!sessions.empty());
  for (const auto& session : sessions) {
    const CommandResult result = runMixdown({"validate", session.filename().string()}, sessionsDir());
    INFO("session: " << session.filename().string() << "\n" << result.status() << "\nstderr:\n" << result.err);
    CHECK(result.exitStatus == 0);
    CHECK(result.err.empty());
  }
}

TEST_CASE("cli: every session in sessions/ renders, variants included") {
  ensureDemoAudio();
  for (const auto& session : shippedSessions()) {
    TempDir out;
    const CommandResult result =
        runMixdown({"render", session.filename().string(), "-o", out.path().string(), "--quiet"}, sessionsDir());
    INFO("session: " << session.filename().string() << "\n" << result.status() << "\nstderr:\n" << result.err);
    CHECK(result.exitStatus == 0);
    CHECK(fs::is_regular_file(out.path() / "mix.wav"));
    CHECK(fs::is_regular_file(out.path() / "report.json"));
  }
}

TEST_CASE("cli: mixdown schema accepts the shipped sessions and rejects the structural bad sessions") {
  if (!pythonHasJsonSchema()) {
    MESSAGE("skipped: " << kPython.string() << " cannot import jsonschema (install python3-jsonschema)");
    return;
  }
  TempDir folder;
  const CommandResult schema = runMixdown({"schema"}, folder.path());
  REQUIRE(schema.exitStatus == 0);
  const fs::path schemaFile = folder.file("schema.json");
  writeTextFile(schemaFile, schema.out);
  CHECK(nlohmann::json::parse(schema.out).value("$schema", "") == "https://json-schema.org/draft/2020-12/schema");

  // The shipped sessions as they are, comments included.
  const std::vector<fs::path> shipped = shippedSessions();
  int shippedStatus = -1;
  const auto shippedVerdicts = validateWithSchema(schemaFile, shipped, shippedStatus);
  CHECK(shippedStatus == 0);
  for (const auto& session : shipped) {
    INFO("session: " << session.string());
    CHECK(shippedVerdicts.count(session.string()) == 1);
    if (shippedVerdicts.count(session.string())) CHECK(shippedVerdicts.at(session.string()) == "ok");
  }

  // The structural bad sessions without their "_expect" and "_comment" keys, so
  // a rejection is for the problem the file is about.
  std::vector<fs::path> structural;
  for (const auto& session : loadBadSessions()) {
    if (!session.schemaRejects) continue;
    const fs::path copy = folder.file(session.file.filename().string());
    writeJsonFile(copy, withoutComments(nlohmann::json::parse(readTextFile(session.file))));
    structural.push_back(copy);
  }
  CHECK(structural.size() >= 5);
  int structuralStatus = -1;
  const auto verdicts = validateWithSchema(schemaFile, structural, structuralStatus);
  CHECK(structuralStatus == 1);
  std::size_t rejected = 0;
  for (const auto& session : structural) {
    const auto found = verdicts.find(session.string());
    INFO("bad session: " << session.filename().string() << " -> "
                         << (found == verdicts.end() ? std::string("no verdict") : found->second));
    CHECK((found != verdicts.end() && found->second.starts_with("invalid: ")));
    if (found != verdicts.end() && found->second.starts_with("invalid: ")) ++rejected;
  }
  CHECK(rejected >= 5);
}

}  // namespace mixdown::test
