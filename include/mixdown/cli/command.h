#pragma once
// A subcommand as its own file registers it: the file adds the subcommand and
// its flags to the application and returns how to run it once parsed. main.cpp
// only lists the commands, parses and runs the one that was given.

#include <functional>

namespace CLI {
class App;
}  // namespace CLI

namespace mixdown::cli {

struct RegisteredCommand {
  CLI::App* subcommand = nullptr;
  /** Runs the command with the parsed flags; its exit status. */
  std::function<int()> run;
};

}  // namespace mixdown::cli
