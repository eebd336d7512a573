#pragma once
// Puts a render's temporary files in place as one step: afterwards every
// target holds its new file, or (on any failure) every target holds what it
// held before. Each target is swapped with its temporary by
// renameat2(RENAME_EXCHANGE), atomically, so the temporary's name then holds
// the old file until the whole set is in; on a failure the swaps done are
// swapped back. Where the file system cannot exchange (some network file
// systems), the old file is first renamed to a temporary name of its own and
// renamed back on failure: a reader may then see the target missing for a
// moment. Targets that do not exist yet are created without replacing
// anything (RENAME_NOREPLACE).

#include <filesystem>
#include <vector>

#include "mixdown/io/temporary_file.h"

namespace mixdown::io {

struct StagedFile {
  TemporaryFile* file = nullptr;     // closed or open; its name is what moves
  std::filesystem::path target;
};

enum class ReplaceMethod { Exchange, RenameAside };  // RenameAside: what a file system without exchange gets

/**
 * Checks, before any work is done, that target can take a file: it is absent,
 * a regular file or a symbolic link (replaced itself, never followed); a
 * folder or a device is refused. Throws IoError naming target.
 */
void checkReplaceable(const std::filesystem::path& target);

/**
 * Moves every staged file to its target, in order, all or none (see above);
 * the old files are removed once all are in. Throws IoError naming the target
 * that failed, after rolling back. method is for tests: Exchange falls back
 * to RenameAside by itself where the file system needs it.
 */
void commitStagedFiles(const std::vector<StagedFile>& files, ReplaceMethod method = ReplaceMethod::Exchange);

}  // namespace mixdown::io
