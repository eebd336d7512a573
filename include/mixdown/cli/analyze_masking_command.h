#pragma once
// `mixdown analyze --masking STEM... [--json]`: the masking between a set of
// audio files taken as the stems of one mix (analysis/masking_analysis.h). A
// table per track for people, or with --json one object: `bands` (the 40 ERB
// bands) and `masking` (report.json's insight.masking entries). An unreadable
// file is an error naming it (exit 1): the stems are measured together or not at all.

#include <string>
#include <vector>

namespace mixdown::cli {

int runAnalyzeMasking(const std::vector<std::string>& files, bool json);

}  // namespace mixdown::cli
