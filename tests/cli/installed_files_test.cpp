// What `make install` ships beside the binary stays true to it: every option a command's help
// lists is in the man page and in that command's bash completion, and --version names the
// git revision of the tree it was built from.

#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "support/cli_runner.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

std::string readText(const std::filesystem::path& path) {
  std::ifstream stream(path);
  REQUIRE_MESSAGE(stream, path.string());
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

/** The commands `mixdown help` lists under "Subcommands:". */
std::vector<std::string> commandsOf(const std::string& help) {
  std::vector<std::string> commands;
  const auto start = help.find("Subcommands:");
  REQUIRE(start != std::string::npos);
  std::istringstream lines(help.substr(start));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string command;
    if (words >> command) commands.push_back(command);
  }
  return commands;
}

/** Every --long option a help text names (CLI11 prints them as "-x,--long" or "--long"). */
std::set<std::string> longOptionsOf(const std::string& help) {
  std::set<std::string> options;
  const std::regex option("--[a-z][a-z0-9-]*");
  for (auto match = std::sregex_iterator(help.begin(), help.end(), option); match != std::sregex_iterator(); ++match)
    if (match->str() != "--help") options.insert(match->str());
  return options;
}

/** The options the completion offers for command: its `command) options="..."` line. */
std::string completionOptions(const std::string& completion, const std::string& command) {
  const auto start = completion.find("    " + command + ") options=\"");
  if (start == std::string::npos) return {};
  return completion.substr(start, completion.find('\n', start) - start);
}

std::string runGit(const std::vector<std::string>& arguments) {
  const CommandResult result = runProgram("/usr/bin/git", arguments, MIXDOWN_SOURCE_DIR);
  return result.exitStatus == 0 ? result.out : std::string();
}

}  // namespace

TEST_CASE("install: the man page and bash completion know every option of every command") {
  TempDir folder;
  const std::string manPage = readText(std::filesystem::path(MIXDOWN_SOURCE_DIR) / "share" / "mixdown.1");
  const std::string completion = readText(std::filesystem::path(MIXDOWN_SOURCE_DIR) / "share" / "mixdown.bash-completion");
  const CommandResult help = runMixdown({"help"}, folder.path());
  REQUIRE(help.exitStatus == 0);
  const std::vector<std::string> commands = commandsOf(help.out);
  CHECK(commands.size() >= 6);
  for (const auto& command : commands) {
    INFO("command: " << command);
    CHECK(manPage.find(".B mixdown " + command + "\n") != std::string::npos);  // in the synopsis
    CHECK(completion.find(" " + command) != std::string::npos);
    if (command == "help") continue;
    const CommandResult commandHelp = runMixdown({"help", command}, folder.path());
    REQUIRE(commandHelp.exitStatus == 0);
    const std::string offered = completionOptions(completion, command);
    CHECK_MESSAGE(!offered.empty(), "no completion for " << command);
    for (const auto& option : longOptionsOf(commandHelp.out)) {
      INFO("option: " << option);
      // roff writes a hyphen in an option as "\-".
      CHECK(manPage.find(std::regex_replace(option, std::regex("-"), "\\-")) != std::string::npos);
      CHECK(std::regex_search(offered, std::regex("[\" ]" + option + "[\" ]")));
    }
  }
}

TEST_CASE("install: --version names the git revision of the source tree") {
  TempDir folder;
  const CommandResult version = runMixdown({"--version"}, folder.path());
  REQUIRE(version.exitStatus == 0);
  const std::string topLevel = runGit({"-C", MIXDOWN_SOURCE_DIR, "rev-parse", "--show-toplevel"});
  std::string expected = "unknown";
  if (!topLevel.empty() && std::filesystem::equivalent(topLevel.substr(0, topLevel.size() - 1), MIXDOWN_SOURCE_DIR)) {
    expected = runGit({"-C", MIXDOWN_SOURCE_DIR, "rev-parse", "--short=12", "HEAD"});
    expected.pop_back();  // the newline
    if (!runGit({"-C", MIXDOWN_SOURCE_DIR, "status", "--porcelain", "--untracked-files=no"}).empty())
      expected += "-modified";
  }
  INFO("stdout: " << version.out);
  CHECK(version.out.find("(git " + expected + ")\n") != std::string::npos);
}

}  // namespace mixdown::test
