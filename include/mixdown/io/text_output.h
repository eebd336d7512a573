#pragma once
// A small text output (report.json, the output manifest) written whole into
// a temporary file beside its target, to be put in place with the audio
// (output_commit.h).

#include <filesystem>
#include <string>

#include "mixdown/io/temporary_file.h"

namespace mixdown::io {

/** A TemporaryFile beside target holding text; throws IoError naming target (disk full...). */
TemporaryFile stageTextFile(const std::filesystem::path& target, const std::string& text);

/** A file of its own (not part of a render) replaced by text in one step: readers see the old or the new whole. Throws IoError. */
void replaceTextFile(const std::filesystem::path& target, const std::string& text);

}  // namespace mixdown::io
