#pragma once
// Rendering one entry of `mixdown render`: a session (from the command line or
// a manifest line, with that line's options over the command line's), its main
// mix and its variants, each render's summary or problems printed and, with
// --results, its line appended (batch_results.h), with --depfile its rule kept
// (depfile.h).

#include "mixdown/cli/batch_entries.h"
#include "mixdown/cli/batch_results.h"
#include "mixdown/cli/depfile.h"
#include "mixdown/cli/progress_printer.h"
#include "mixdown/cli/render_command.h"

namespace mixdown::cli {

/** The command line's options with a manifest line's over them (--set after the command line's). */
RenderCommandOptions optionsForEntry(const RenderCommandOptions& commandLine, const EntryOptions& line);

/** Where a batch's renders are recorded besides their outputs; either may be absent. */
struct RenderRecords {
  ResultsFile* results = nullptr;               // --results: a line per render
  std::vector<DepfileRule>* depfile = nullptr;  // --depfile: a rule per render that succeeded
};

/**
 * Renders the entry's session and variants; the combined status of its renders
 * (combinedStatus). A signal's status (above 128) means stop the batch now.
 */
int renderEntry(const BatchEntry& entry, const RenderCommandOptions& options, ProgressMode progressMode, const RenderRecords& records);

/**
 * The status of several renders: one a retry may cure (75) outweighs a usage
 * error (2), which outweighs a failure (1): a scheduler then retries the task,
 * and the retry's status says what is permanent.
 */
int combinedStatus(int sofar, int next);

}  // namespace mixdown::cli
