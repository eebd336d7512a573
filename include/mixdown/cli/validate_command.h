#pragma once
// `mixdown validate SESSION...`: every problem of each session, without rendering.

#include <string>
#include <vector>

namespace mixdown::cli {

int runValidate(const std::vector<std::string>& sessions, const std::vector<std::string>& assignments, bool quiet);

}  // namespace mixdown::cli
