#pragma once
// Every file a render of a session reads: the session file, each clip's audio
// file, each convolution's impulse response and each reference track (the
// report compares the mix with them), as the session resolves them
// (relative to the working directory when the session's path is), each once,
// in the session's order. The output plan refuses outputs that are inputs by
// them; render --depfile names them as the outputs' prerequisites.

#include <filesystem>
#include <vector>

#include "mixdown/session/model.h"

namespace mixdown::session {

std::vector<std::filesystem::path> inputFiles(const Session& session);

/** The impulse responses a strip's inserts read (each convolution's "ir"), in their order. */
std::vector<std::filesystem::path> impulseResponseFiles(const std::vector<Insert>& inserts);

}  // namespace mixdown::session
