#include "mixdown/io/text_output.h"

#include <unistd.h>

#include <cerrno>

#include "mixdown/io/output_commit.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::io {

TemporaryFile stageTextFile(const std::filesystem::path& target, const std::string& text) {
  TemporaryFile file(target);
  for (std::size_t written = 0; written < text.size();) {
    const ssize_t count = ::write(file.descriptor(), text.data() + written, text.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) throw ioErrorFromErrno("cannot write " + quotedPath(target), count < 0 ? errno : EIO);
    written += static_cast<std::size_t>(count);
  }
  return file;
}

void replaceTextFile(const std::filesystem::path& target, const std::string& text) {
  TemporaryFile staged = stageTextFile(target, text);
  commitStagedFiles({{&staged, target}});
}

}  // namespace mixdown::io
