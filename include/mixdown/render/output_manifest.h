#pragma once
// What a render wrote into its output folder, kept so the next render can take
// away what it no longer writes. The record is a hidden file in the folder,
// ".mixdown-outputs.json": each file's path (relative to the folder) and the
// SHA-256 of its bytes as written. It is staged and put in place with the
// outputs (all or none), under the folder's lock (io/folder_lock.h), so two
// renders into one folder never read or write it at once.
//
// A listed file is removed only while it still holds exactly what mixdown
// wrote (same SHA-256, a regular file, not a link): a file the user replaced
// or edited since is theirs and stays, with a warning; a file never listed
// (the user's own) is never touched. A folder left empty by a removal (a
// stems folder) is removed too. Paths that leave the folder ("..", absolute)
// are not recorded. A render killed (SIGKILL) between putting its outputs in
// place and the removals leaves the stale files; they are no longer listed.

#include <filesystem>
#include <string>
#include <vector>

#include "mixdown/io/output_commit.h"
#include "mixdown/io/output_record_name.h"
#include "mixdown/io/temporary_file.h"

namespace mixdown::render {

class OutputManifest {
public:
  /** Reads folder's record (none or unreadable: nothing listed). Call holding the folder's lock. */
  explicit OutputManifest(std::filesystem::path folder);

  /** --clean: removes every listed file still as written, and the record, now. */
  void removeAll();

  /**
   * Decides which listed files this render leaves behind (listed, not among
   * written) and will remove after its commit; a warning for each that changed
   * since it was written. Returns their paths relative to the folder.
   */
  std::vector<std::string> planStale(const std::vector<std::filesystem::path>& written);

  /** The new record of the staged files (those in the folder), as a temporary beside it; stage it with them. */
  io::TemporaryFile stageRecord(const std::vector<io::StagedFile>& staged) const;

  /** After the commit: removes what planStale chose (ignoring what vanished meanwhile). */
  void removeStale();

  /** Warnings for the report: listed files that were changed since and were left in place. */
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }

  /** The record's own path. */
  std::filesystem::path recordPath() const { return folder_ / io::kOutputRecordName; }

private:
  /** path relative to the folder, "/"-separated; empty if it is not inside the folder. */
  std::string relativeName(const std::filesystem::path& path) const;
  struct Entry {
    std::string file;    // relative, "/"-separated
    std::string sha256;  // of the whole file
  };
  /** Whether entry's file still holds what was written; warns (once) if it was changed. */
  bool unchanged(const Entry& entry);
  void remove(const std::string& file) const;

  std::filesystem::path folder_;
  std::vector<Entry> listed_;
  std::vector<std::string> stale_;
  std::vector<std::string> warnings_;
};

}  // namespace mixdown::render
