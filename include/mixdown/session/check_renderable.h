#pragma once
// What the format defines but this version cannot render (automation of the
// few processor parameters that set a delay line's length) is an error naming
// where it is used, so a session never renders with a part silently ignored.

#include "mixdown/session/diagnostics.h"
#include "mixdown/session/model.h"

namespace mixdown::session {

void checkRenderable(const Session& session, Diagnostics& diagnostics);

}  // namespace mixdown::session
