#include "support/refusal_check.h"

#include <doctest/doctest.h>

namespace mixdown::test {

std::string firstMalformedMessageLine(const std::string& err) {
  std::size_t start = 0;
  while (start < err.size()) {
    std::size_t end = err.find('\n', start);
    if (end == std::string::npos) end = err.size();
    const std::string line = err.substr(start, end - start);
    if (!line.empty() && (!line.starts_with("mixdown: ") || line.size() > kMaxMessageLineBytes))
      return line.substr(0, 200) + (line.size() > 200 ? "... (" + std::to_string(line.size()) + " bytes)" : "");
    start = end + 1;
  }
  return {};
}

CommandResult checkRefused(const std::filesystem::path& program, const std::vector<std::string>& arguments,
                           const std::filesystem::path& folder, int exitStatus,
                           const std::vector<std::string>& stderrParts) {
  const TreeSnapshot before = snapshotTree(folder);
  const CommandResult result = runProgram(program, arguments, folder, 120.0);
  const std::string changes = describeTreeChanges(before, snapshotTree(folder));
  INFO("status: " << result.status());
  INFO("stderr:\n" << result.err.substr(0, 4000));
  CHECK(result.signal == 0);
  CHECK_FALSE(result.timedOut);
  CHECK(result.exitStatus == exitStatus);
  for (const auto& part : stderrParts) {
    INFO("expected in stderr: " << part);
    CHECK(result.err.find(part) != std::string::npos);
  }
  INFO("malformed stderr line: " << firstMalformedMessageLine(result.err));
  CHECK(firstMalformedMessageLine(result.err).empty());
  INFO("the folder changed:\n" << changes);
  CHECK(changes.empty());
  return result;
}

CommandResult checkMixdownRefuses(const std::vector<std::string>& arguments, const std::filesystem::path& folder,
                                  int exitStatus, const std::vector<std::string>& stderrParts) {
  return checkRefused(mixdownBinary(), arguments, folder, exitStatus, stderrParts);
}

}  // namespace mixdown::test
