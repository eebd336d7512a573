#pragma once
// The JSON Schema (draft 2020-12) of the session format, generated from the
// tables of params.h, so the schema and the validator cannot disagree on keys,
// types, ranges or defaults. Cross-references (bus names, cycles, files) are
// beyond a schema and are checked by `mixdown validate`.

#include <nlohmann/json.hpp>

namespace mixdown::session {

nlohmann::json sessionJsonSchema();

}  // namespace mixdown::session
