#pragma once
// The check every bad input must pass end to end: the CLI refuses it with the
// expected exit status and messages (each stderr line a "mixdown: ..." line of
// bounded length), is not killed by a signal, and leaves the folder it ran in
// exactly as it was: nothing created, truncated, changed or removed.

#include <filesystem>
#include <string>
#include <vector>

#include "support/cli_runner.h"

namespace mixdown::test {

/** Longest stderr line accepted: a message quotes names and paths, never a whole input. */
constexpr std::size_t kMaxMessageLineBytes = 1000;

/** Every line of err starts with "mixdown: " and is at most kMaxMessageLineBytes long; "" if so, else the first bad line. */
std::string firstMalformedMessageLine(const std::string& err);

/**
 * Runs program with arguments in folder and checks (doctest CHECKs) the exit
 * status, that stderr holds each of stderrParts, that every stderr line is a
 * well-formed message, and that the tree under folder is unchanged.
 */
CommandResult checkRefused(const std::filesystem::path& program, const std::vector<std::string>& arguments,
                           const std::filesystem::path& folder, int exitStatus,
                           const std::vector<std::string>& stderrParts);

/** checkRefused for the mixdown binary. */
CommandResult checkMixdownRefuses(const std::vector<std::string>& arguments, const std::filesystem::path& folder,
                                  int exitStatus, const std::vector<std::string>& stderrParts);

}  // namespace mixdown::test
