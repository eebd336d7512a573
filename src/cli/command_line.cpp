#include "mixdown/cli/command_line.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/session/validate.h"

namespace mixdown::cli {

std::optional<int> parseCommandLine(CLI::App& app, int argc, char** argv) {
  // CLI11 reads an unknown command as a stray argument; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string command = argv[1];
    std::vector<std::string> commands;
    for (const CLI::App* subcommand : app.get_subcommands({})) commands.push_back(subcommand->get_name());
    if (std::find(commands.begin(), commands.end(), command) == commands.end()) {
      std::string message = "unknown command \"" + command + "\"";
      if (const auto suggestion = session::closestMatch(command, commands))
        message += " (did you mean \"" + *suggestion + "\"?)";
      printError(message);
      std::cerr << "Run 'mixdown help' for the commands.\n";
      return kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    printError(error.what());
    std::cerr << "Run 'mixdown help' for usage.\n";
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace mixdown::cli
