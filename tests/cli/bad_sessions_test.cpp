// Every bad session of tests/sessions/bad/ through the real CLI: `mixdown
// validate` and `mixdown render` must both fail with the expected exit status,
// print each expected message (session file and JSON Pointer, or line and
// column for syntax errors), and leave the folder exactly as it was.
//
// A session's expectation is its "_expect" key (keys beginning with '_' are
// comments to mixdown), or NAME.expect.json beside it for files that are not a
// JSON object:
//   "exit": 1 | 2, "stderr": [substring, ...],
//   "schema": "reject"       structural: `mixdown schema` must reject it too,
//   "skip_as_root": reason   permission cases that root bypasses,
//   "needs_plugin": [URI, Debian package]   skipped, saying so, where that LV2 plugin is absent.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/bad_sessions.h"
#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/installed_plugins.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace fs = std::filesystem;

std::vector<BadSession> loadBadSessions() {
  std::vector<BadSession> sessions;
  for (const auto& entry : fs::directory_iterator(badSessionsDir())) {
    const fs::path& path = entry.path();
    const std::string name = path.filename().string();
    if (path.extension() != ".json" || name.ends_with(".expect.json")) continue;
    BadSession session;
    session.file = path;
    const fs::path sidecar = path.parent_path() / (path.stem().string() + ".expect.json");
    nlohmann::json expectation;
    if (fs::exists(sidecar)) {
      expectation = nlohmann::json::parse(readTextFile(sidecar));
    } else {
      const nlohmann::json document = nlohmann::json::parse(readTextFile(path));
      expectation = document.at("_expect");
    }
    session.exitStatus = expectation.at("exit").get<int>();
    session.stderrParts = expectation.at("stderr").get<std::vector<std::string>>();
    session.schemaRejects = expectation.value("schema", "") == "reject";
    session.skipAsRoot = expectation.contains("skip_as_root");
    if (expectation.contains("needs_plugin")) {
      session.needsPlugin = expectation.at("needs_plugin").at(0).get<std::string>();
      session.pluginPackage = expectation.at("needs_plugin").at(1).get<std::string>();
    }
    sessions.push_back(std::move(session));
  }
  std::sort(sessions.begin(), sessions.end(),
            [](const BadSession& left, const BadSession& right) { return left.file < right.file; });
  return sessions;
}

fs::path badSessionsDir() { return sourceDir() / "tests" / "sessions" / "bad"; }

namespace {

/** Every line of stderr is a "mixdown: error: ..." (or warning) line. */
bool everyLineIsADiagnostic(const std::string& err) {
  std::size_t start = 0;
  while (start < err.size()) {
    std::size_t end = err.find('\n', start);
    if (end == std::string::npos) end = err.size();
    const std::string line = err.substr(start, end - start);
    if (!line.empty() && !line.starts_with("mixdown: ")) return false;
    start = end + 1;
  }
  return true;
}

/** Copies the session beside fresh fixtures, runs one command, checks status, messages and the tree. */
void checkCommand(const BadSession& session, const std::string& command) {
  const std::string name = session.file.filename().string();
  INFO("session: tests/sessions/bad/" << name << ", command: mixdown " << command << " " << name);
  TempDir folder;
  makeBadSessionFixtures(folder.path());
  fs::copy_file(session.file, folder.file(name));
  const TreeSnapshot before = snapshotTree(folder.path());

  const CommandResult result = runMixdown({command, name}, folder.path());
  INFO("status: " << result.status());
  INFO("stderr:\n" << result.err);
  CHECK(result.signal == 0);
  CHECK(result.exitStatus == session.exitStatus);
  for (const auto& part : session.stderrParts) {
    INFO("expected in stderr: " << part);
    CHECK(result.err.find(part) != std::string::npos);
  }
  CHECK(everyLineIsADiagnostic(result.err));
  const std::string changes = describeTreeChanges(before, snapshotTree(folder.path()));
  INFO("the folder changed:\n" << changes);
  CHECK(changes.empty());
  fs::permissions(folder.file("read_only"), fs::perms::owner_all, fs::perm_options::add);
}

}  // namespace

TEST_CASE("cli: the bad sessions and their expectations are well formed") {
  const std::vector<BadSession> sessions = loadBadSessions();
  CHECK(sessions.size() >= 25);
  for (const auto& session : sessions) {
    const std::string name = session.file.filename().string();
    INFO("session: " << name);
    CHECK((session.exitStatus == 1 || session.exitStatus == 2));
    REQUIRE(!session.stderrParts.empty());
    // Every bad session is named in at least one expected message.
    CHECK(std::any_of(session.stderrParts.begin(), session.stderrParts.end(),
                      [&name](const std::string& part) { return part.starts_with(name + ": "); }));
  }
}

TEST_CASE("cli: every bad session fails validate and render with its message and writes nothing") {
  for (const auto& session : loadBadSessions()) {
    if (session.skipAsRoot && runningAsRoot()) {
      MESSAGE("skipped as root (permissions do not apply): " << session.file.filename().string());
      continue;
    }
    if (!session.needsPlugin.empty() && !pluginInstalled(session.needsPlugin, session.pluginPackage)) continue;
    for (const std::string command : {"validate", "render"}) checkCommand(session, command);
  }
}

}  // namespace mixdown::test
