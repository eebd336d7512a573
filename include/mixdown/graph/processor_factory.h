#pragma once
// Turns a validated insert into its processor, with parameters in physical
// units read from the insert's JSON and the defaults of its table.

#include <memory>

#include "mixdown/dsp/processor.h"
#include "mixdown/session/model.h"

namespace mixdown::graph {

/** Throws std::logic_error for a type this build cannot render (validation rejects those first). */
std::unique_ptr<Processor> makeProcessor(const session::Insert& insert);

}  // namespace mixdown::graph
