#pragma once
// Checks that need the whole session: unique names, references to buses and
// sidechain sources, routing cycles (through outputs, sends and keys), and
// processor options that depend on each other.

#include <string>
#include <vector>

#include "mixdown/session/diagnostics.h"
#include "mixdown/session/model.h"

namespace mixdown::session {

void checkRouting(const Session& session, Diagnostics& diagnostics);

/** A sidechain reference found in an insert (the processor's or one of its bands'). */
struct SidechainReference {
  std::string pointer;  // of the "sidechain" value
  std::string source;   // track or bus name
};
std::vector<SidechainReference> sidechainsOf(const Insert& insert);

}  // namespace mixdown::session
