#pragma once
// One insert of every processor type as session JSON, with typical settings
// and every automatable number written out, for tests that go through the
// processor factory.

#include <nlohmann/json.hpp>
#include <vector>

#include "mixdown/session/model.h"

namespace mixdown::test {

/** One insert of each type; the convolution's IR is a 0.1 s stereo file written once per test run. */
std::vector<nlohmann::json> sampleInserts();

/** The insert as the decoder makes it (name = type, no tempo, no base directory). */
session::Insert insertOf(const nlohmann::json& parameters);

}  // namespace mixdown::test
