#pragma once
// `mixdown schema`: the JSON Schema of the session format, on stdout.

namespace mixdown::cli {

int runSchema();

}  // namespace mixdown::cli
