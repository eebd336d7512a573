#pragma once
// `mixdown graph SESSION [--format dot|text]`: the processing graph with latencies.

#include <string>
#include <vector>

namespace mixdown::cli {

int runGraph(const std::string& session, const std::string& format, const std::vector<std::string>& assignments);

}  // namespace mixdown::cli
