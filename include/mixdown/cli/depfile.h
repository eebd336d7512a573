#pragma once
// render --depfile FILE: a Makefile-syntax depfile, as `gcc -MD -MP` writes
// one. For each render that succeeded, a rule "OUTPUTS...: INPUTS..." (the
// files it wrote, but the hidden record of them, depend on the session and
// every file it reads: session/input_files.h); then an empty rule for each
// input, so make does not stop when one is deleted or renamed. Paths are as
// mixdown opened them: relative to the working directory when the session's
// path is. Spaces, '#', '$' and backslashes are escaped for make (and ninja).

#include <filesystem>
#include <string>
#include <vector>

namespace mixdown::cli {

struct DepfileRule {
  std::vector<std::filesystem::path> targets;
  std::vector<std::filesystem::path> prerequisites;
};

/** The depfile's text for rules. */
std::string depfileText(const std::vector<DepfileRule>& rules);

/** Writes the depfile whole, replacing path atomically (io/output_commit.h); throws IoError. */
void writeDepfile(const std::filesystem::path& path, const std::vector<DepfileRule>& rules);

}  // namespace mixdown::cli
