#pragma once
// `mixdown batch collect [--manifest FILE] [-o FILE] RESULTS...`: merges the
// results files of a batch's tasks (render --results) into one, one line per
// render, and says what failed and what is missing. Of the lines for one
// render, the last in a file wins (a retry appends after the earlier attempt)
// and across files a success wins over a failure. A session is missing when
// the manifest lists it and no file has a line for it, or when fewer of its
// renders (main mix and variants) have lines than its lines say it has (a task
// killed between them); a line that is not a result (cut by a writer's
// death) is a warning, its render then missing. Exit 0 when every render succeeded and nothing is
// missing, 1 otherwise, 2 for a usage error or a manifest that cannot be read.

#include "mixdown/cli/command.h"

namespace mixdown::cli {

/** Adds `batch` (with `collect`) to app. */
RegisteredCommand registerBatchCommand(CLI::App& app);

}  // namespace mixdown::cli
