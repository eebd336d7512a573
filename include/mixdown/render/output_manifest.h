#pragma once
// What a render wrote into its output folder, kept so the next render can take
// away what it no longer writes and keep what is up to date. The record is a
// hidden file in the folder, ".mixdown-outputs.json": each file's path
// (relative to the folder), the SHA-256 of its bytes as written, its identity
// then (size, mtime, inode), its recipe (render/output_recipes.h), the frames
// rendered and its entry in the report; the whole render's recipe, report and
// warnings; and the inputs' digests (render/input_digests.h). It is staged and
// put in place with the outputs (all or none), under the folder's lock
// (io/folder_lock.h), so two renders into one folder never read or write it at
// once.
//
// A listed file is up to date for a recipe when it was made by that recipe
// and still holds what was written: its identity unchanged, or else (a copy,
// a restore from a backup) its SHA-256.
//
// A listed file is removed only while it still holds exactly what mixdown
// wrote (same SHA-256, a regular file, not a link): a file the user replaced
// or edited since is theirs and stays, with a warning; a file never listed
// (the user's own) is never touched. A folder left empty by a removal (a
// stems folder) is removed too. Paths that leave the folder ("..", absolute)
// are not recorded. A render killed (SIGKILL) between putting its outputs in
// place and the removals leaves the stale files; they are no longer listed.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mixdown/io/output_commit.h"
#include "mixdown/io/output_record_name.h"
#include "mixdown/io/sha256.h"
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

  /** What a listed file made by recipe recorded, when it is up to date (see above). */
  struct Reusable {
    std::int64_t renderFrames = 0;
    nlohmann::ordered_json reportEntry;
    nlohmann::ordered_json warnings;  // the file's own ({code, pointer, message}: clipped samples, DC offset)
  };
  std::optional<Reusable> reusable(const std::filesystem::path& target, const std::string& recipe);

  /** The last render's report and warnings ({code, pointer, message}), when it had this render recipe. */
  struct RecordedRender {
    nlohmann::ordered_json report;
    nlohmann::ordered_json warnings;
  };
  std::optional<RecordedRender> recordedRender(const std::string& recipe) const;

  /** The inputs' digests the last render recorded (InputDigests reads them). */
  const nlohmann::ordered_json& recordedInputs() const noexcept { return inputs_; }

  /** The SHA-256 of the listed file at target when it still holds what was written (its identity unchanged). */
  std::optional<std::string> intactSha256(const std::filesystem::path& target) const;

  /** A file of the new record: staged now (its temporary's digest), or kept as it is (none; listed under target). */
  struct RecordedFile {
    std::filesystem::path target;
    std::optional<io::FileDigest> staged;
    std::string recipe;
    std::int64_t renderFrames = 0;
    nlohmann::ordered_json reportEntry;  // null for the report itself
    nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
  };
  /** The new record (in the folder's files only), as a temporary beside it; stage it with the files. */
  io::TemporaryFile stageRecord(const std::vector<RecordedFile>& files, const RecordedRender& render,
                                const std::string& renderRecipe, nlohmann::ordered_json inputs) const;

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
    nlohmann::ordered_json identity;  // {size, mtime_ns, inode} as written; null in older records
    std::string recipe;               // empty in older records
    std::int64_t renderFrames = 0;
    nlohmann::ordered_json reportEntry;
    nlohmann::ordered_json warnings;
  };
  /** Whether entry's file still holds what was written; warns (once) if it was changed. */
  bool unchanged(const Entry& entry);
  void remove(const std::string& file) const;

  std::filesystem::path folder_;
  std::vector<Entry> listed_;
  nlohmann::ordered_json render_;  // the record's "render": {recipe, report, warnings}
  nlohmann::ordered_json inputs_;
  std::vector<std::string> stale_;
  std::vector<std::string> warnings_;
};

}  // namespace mixdown::render
