#pragma once
// Runs the mixdown binary (or any program) the way a script would: arguments
// passed as a vector (no shell, no quoting), a chosen working directory, stdout
// and stderr captured separately. And a snapshot of a directory tree, to prove
// that a command created, changed or removed nothing.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace mixdown::test {

struct CommandResult {
  int exitStatus = -1;  // the exit status when the process exited, else -1
  int signal = 0;       // the signal that ended the process, else 0
  bool timedOut = false;
  long peakResidentKib = 0;  // the process's largest resident set (getrusage's ru_maxrss, KiB)
  std::string out;
  std::string err;

  /** "exit 1" or "signal 6", for messages. */
  std::string status() const;
};

/**
 * Runs program (a path, not searched in PATH) with arguments in workingDir,
 * stdin from /dev/null. Kills it (SIGKILL) after timeoutS seconds.
 */
CommandResult runProgram(const std::filesystem::path& program, const std::vector<std::string>& arguments,
                         const std::filesystem::path& workingDir, double timeoutS = 300.0);

/** The mixdown binary under test (MIXDOWN_BINARY). */
std::filesystem::path mixdownBinary();

CommandResult runMixdown(const std::vector<std::string>& arguments, const std::filesystem::path& workingDir);

/** What a tree holds at one path: kind, permissions, size, modification time and content hash. */
struct EntryState {
  char kind = '?';  // 'f' file, 'd' directory, 'l' symbolic link, '?' other
  unsigned permissions = 0;
  std::uintmax_t size = 0;
  std::int64_t mtimeNs = 0;
  std::string sha256;  // files only
  std::string linkTarget;

  bool operator==(const EntryState&) const = default;
};

/** Every entry under root (root itself excluded), keyed by its generic path relative to root. */
using TreeSnapshot = std::map<std::string, EntryState>;

TreeSnapshot snapshotTree(const std::filesystem::path& root);

/** One line per created, removed or changed entry; empty when the snapshots are equal. */
std::string describeTreeChanges(const TreeSnapshot& before, const TreeSnapshot& after);

}  // namespace mixdown::test
