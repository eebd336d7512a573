#pragma once
// Every frequency a processor is given (keys ending in _hz: EQ bands, key
// highpasses, delay filters; constant or automated) must lie below half the
// render rate, which is known only once the sources have been probed.

#include "mixdown/session/diagnostics.h"
#include "mixdown/session/model.h"

namespace mixdown::session {

void checkFrequencies(const Session& session, int sampleRate, Diagnostics& diagnostics);

}  // namespace mixdown::session
