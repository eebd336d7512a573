// mixdown: command-line wiring only; each command, with its flags, lives in src/cli/.
#include <CLI/CLI.hpp>
#include <new>
#include <vector>

#include "mixdown/cli/analyze_command.h"
#include "mixdown/cli/batch_command.h"
#include "mixdown/cli/command_line.h"
#include "mixdown/cli/compare_command.h"
#include "mixdown/cli/diff_command.h"
#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/graph_command.h"
#include "mixdown/cli/help_command.h"
#include "mixdown/cli/init_command.h"
#include "mixdown/cli/messages.h"
#include "mixdown/cli/plugins_command.h"
#include "mixdown/cli/render_command.h"
#include "mixdown/cli/schema_command.h"
#include "mixdown/cli/standard_output.h"
#include "mixdown/cli/stop_signals.h"
#include "mixdown/cli/validate_command.h"
#include "mixdown/util/cancellation.h"
#include "mixdown_revision.h"  // generated at build time: MIXDOWN_REVISION

int main(int argc, char** argv) {
  using namespace mixdown::cli;
  ignoreFileSizeSignal();
  routePluginMessages();
  StandardOutput standardOutput;
  CLI::App app{"mixdown: a headless batch mixer. Renders JSON sessions to a mix, stems and a report.", "mixdown"};
  std::string versionText = "mixdown ";
  versionText.append(MIXDOWN_VERSION).append(" (git ").append(MIXDOWN_REVISION).append(")");
  app.set_version_flag("--version", versionText);
  app.require_subcommand(1);
  const std::vector<RegisteredCommand> commands{registerRenderCommand(app),  registerValidateCommand(app), registerInitCommand(app),
                                                registerGraphCommand(app),   registerAnalyzeCommand(app),
                                                registerDiffCommand(app),    registerCompareCommand(app), registerPluginsCommand(app),
                                                registerBatchCommand(app),
                                                registerSchemaCommand(app),
                                                registerHelpCommand(app)};
  if (const auto status = parseCommandLine(app, argc, argv)) return standardOutput.finish(*status);
  try {
    for (const RegisteredCommand& command : commands)
      if (command.subcommand->parsed()) return standardOutput.finish(command.run());
    return kExitUsage;
  } catch (const mixdown::Cancelled& stop) {
    printError(std::string("stopped: ") + stop.what());
    return exitStatusForSignal(stop.signalNumber());
  } catch (const std::bad_alloc&) {
    printError("out of memory");
    return kExitTemporaryFailure;
  }
}
