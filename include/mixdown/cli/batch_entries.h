#pragma once
// The sessions of a batch: those given on the command line and the lines of a
// manifest (`--manifest FILE`: one session per line, optionally followed by
// its own --set, --variant, --no-variants, -o, --mix-only, --stems-only;
// shell-like quoting; `#` starts a comment; paths relative to the manifest's
// folder). And which of them one task of a scheduler renders: --shard K/N and
// --index I / --stride S, the same subset on every machine whatever the order
// of the sessions given (see selectEntries).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mixdown::cli {

/** What a manifest line may change for its session; unset fields keep the command line's. */
struct EntryOptions {
  std::vector<std::string> assignments;                // --set, applied after the command line's
  std::optional<std::vector<std::string>> variants;    // --variant, replaces the command line's
  bool noVariants = false;
  bool mixOnly = false;
  bool stemsOnly = false;
  std::optional<std::string> outputDir;                // -o, resolved against the manifest's folder
};

struct BatchEntry {
  /** The session's path as written (lexically normal, on the command line or relative to the manifest): its identity. */
  std::string session;
  /** The line's options as written, after the path (empty for the command line's sessions): part of its identity. */
  std::vector<std::string> words;
  std::filesystem::path file;  // where to open it
  EntryOptions options;
  std::string origin;          // "manifest.txt:7", or "" for the command line
};

/** A manifest that cannot be read, or a bad line; what() is "FILE:LINE: why" (exit status 2). */
class ManifestError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/** Splits a line into words as a POSIX shell would (quotes, backslashes); "#" at a word's start ends it. Throws std::invalid_argument. */
std::vector<std::string> splitManifestLine(const std::string& line);

/** Every entry of the manifest, in its order. Throws ManifestError. */
std::vector<BatchEntry> readManifest(const std::filesystem::path& manifest);

/** An entry for a session named on the command line. */
BatchEntry commandLineEntry(const std::string& file);

/** The identity an entry is sorted by: its session and its words, NUL-separated. */
std::string entryKey(const BatchEntry& entry);

struct Selection {
  int shard = 1;      // --shard K/N: K (1-based)
  int shards = 1;     //   N
  int index = 0;      // --index I (0-based) within the shard
  int stride = 1;     // --stride S
};

/**
 * The entries this task renders: sorted by entryKey (so the order given does
 * not matter), the shard is every N-th from position K-1, and of the shard,
 * every S-th from position I. Shards differ in size by one at most; the
 * shards (and the strides of a shard) together are every entry once. Keeps
 * the order given among those chosen.
 */
std::vector<BatchEntry> selectEntries(std::vector<BatchEntry> entries, const Selection& selection);

/** For each entry, the --index of the task that renders it under selection's shard and stride; -1 outside the shard. */
std::vector<int> taskIndexes(const std::vector<BatchEntry>& entries, const Selection& selection);

/** Parses --shard's "K/N" (1 <= K <= N); throws std::invalid_argument saying what is wrong. */
std::pair<int, int> parseShard(const std::string& text);

/**
 * The index when --index is not given: SLURM_ARRAY_TASK_ID, else
 * JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs); nullopt when neither is set.
 * Throws std::invalid_argument naming the variable when it is not a number.
 */
std::optional<int> indexFromEnvironment();

}  // namespace mixdown::cli
