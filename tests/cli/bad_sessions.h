#pragma once
// The bad sessions of tests/sessions/bad/ and what each expects (see
// bad_sessions_test.cpp for the format of the expectations).

#include <filesystem>
#include <string>
#include <vector>

namespace mixdown::test {

struct BadSession {
  std::filesystem::path file;
  int exitStatus = 1;
  std::vector<std::string> stderrParts;       // substrings stderr must hold
  bool schemaRejects = false;                 // structural: the JSON Schema rejects it
  bool skipAsRoot = false;
  std::string needsPlugin;                    // an LV2 plugin's URI: skipped (saying so) where it is not installed
  std::string pluginPackage;                  // the Debian package that brings it
};

std::filesystem::path badSessionsDir();

/** Every bad session, sorted by file name. */
std::vector<BadSession> loadBadSessions();

}  // namespace mixdown::test
