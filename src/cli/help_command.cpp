#include "mixdown/cli/help_command.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"

namespace mixdown::cli {

RegisteredCommand registerHelpCommand(CLI::App& app) {
  const auto topic = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("help", "show help for mixdown or a command");
  command->add_option("COMMAND", *topic, "command");
  return {command, [&app, topic] {
            // app.help() would answer for the parsed "help" command; ask the formatter directly.
            const auto formatter = app.get_formatter();
            if (topic->empty()) {
              std::cout << formatter->make_help(&app, "mixdown", CLI::AppFormatMode::Normal);
              return kExitSuccess;
            }
            try {
              std::cout << formatter->make_help(app.get_subcommand(*topic), "mixdown " + *topic, CLI::AppFormatMode::Normal);
              return kExitSuccess;
            } catch (const CLI::OptionNotFound&) {
              printError("no command \"" + *topic + "\"");
              return kExitUsage;
            }
          }};
}

}  // namespace mixdown::cli
