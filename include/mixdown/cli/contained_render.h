#pragma once
// A render of a session with LV2 plugins runs in a child process that the
// command watches (util/child_process.h), so a plugin that crashes or hangs
// cannot leave half-written outputs or a stuck job: a crash (SIGSEGV,
// SIGABRT, ...) or a plugin call that has not returned within the plugin
// timeout ends that render with exit status 1 and a message naming the
// plugin insert's pointer and the signal or the time; the child's temporary
// files are removed from each output folder under the output folder's lock
// (the folders the render made are removed again when empty); the batch goes on with its next render. The
// child's messages reach stderr as they happen; its outcome comes back
// whole.

#include <filesystem>
#include <functional>
#include <string>

#include "mixdown/cli/batch_results.h"
#include "mixdown/session/model.h"
#include "mixdown/session/output_plan.h"

namespace mixdown::cli {

/** Whether any track, bus or the master has an lv2 insert. */
bool usesPlugins(const session::Session& session);

/**
 * render() in a watched child; its outcome, or a failed one after a crash or
 * hang (printed as a problem of sessionFile with code plugin.crashed or
 * plugin.hung; render.killed, status 75, when something else killed it).
 */
RenderOutcome renderContained(const std::string& sessionFile, const std::string& label, const session::OutputPlan& plan,
                              double pluginTimeoutS, const std::function<RenderOutcome()>& render);

}  // namespace mixdown::cli
