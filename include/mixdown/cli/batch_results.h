#pragma once
// render --results FILE: one JSON line per render of a batch (a session, or
// one of its variants), appended as soon as that render ended, so a task
// killed later keeps the lines of what it finished. Each line is one write()
// to a file opened O_APPEND, then fdatasync: lines of several writers never
// interleave on a local file system, and a retry appends after the earlier
// attempt's lines (`mixdown batch collect` keeps the last line of each).
// A line cut by a writer's death is ended with a newline by the next writer
// and ignored by collect. On a network file system give each task its own file
// (results/$SLURM_ARRAY_TASK_ID.jsonl).
//
// A line: {"session", "options" (the manifest line's own, if any),
// "variant" (null for the main mix), "renders" (how many renders the entry
// has: the main mix and its variants), "status" ("ok", "failed", "transient",
// "stopped"), "exit_status", "duration_s", "output_dir", "outputs" (kind,
// name, file, audio_sha256 and loudness as in report.json), "error"}.

#include <nlohmann/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "mixdown/cli/batch_entries.h"

namespace mixdown::cli {

class ResultsFile {
public:
  /** Opens (creating it and its folders) path for appending; throws IoError naming it. */
  explicit ResultsFile(const std::filesystem::path& path);
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;
  ~ResultsFile();

  /** Appends line and a newline in one write (null: only a newline), then syncs; throws IoError (transient for a full disk). */
  void append(const nlohmann::ordered_json& line);

private:
  std::filesystem::path path_;
  int descriptor_ = -1;
};

/** "ok", "failed" (1, 2: retrying cannot help), "transient" (75) or "stopped" (a signal: 128 + its number). */
std::string statusWord(int exitStatus);

struct RenderOutcome {
  int exitStatus = 0;
  std::string error;                // the first error, "" when it succeeded
  nlohmann::ordered_json report;    // report.json's content, null when nothing was rendered
  std::string outputDir;
  std::vector<std::filesystem::path> written;  // the files put in place
};

/** One results line (see above). variant "" is the main mix; renders: how many the entry has (0 when unknown). */
nlohmann::ordered_json resultLine(const BatchEntry& entry, const std::string& variant, int renders, double durationS,
                                  const RenderOutcome& outcome);

}  // namespace mixdown::cli
