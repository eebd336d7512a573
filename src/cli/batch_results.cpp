#include "mixdown/cli/batch_results.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>

#include "mixdown/cli/exit_status.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::cli {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

ResultsFile::ResultsFile(const fs::path& path) : path_(path) {
  std::error_code error;
  if (!path.parent_path().empty()) fs::create_directories(path.parent_path(), error);
  if (error) throw ioErrorFromErrno("cannot create the folder of the results file " + io::quotedPath(path), error.value());
  descriptor_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (descriptor_ < 0) throw ioErrorFromErrno("cannot open the results file " + io::quotedPath(path), errno);
  // A writer killed mid-line (a full disk) left a line without its newline: end it, so the next line stands alone.
  char last = '\n';
  const off_t size = ::lseek(descriptor_, 0, SEEK_END);
  if (size > 0 && ::pread(descriptor_, &last, 1, size - 1) == 1 && last != '\n') append(nullptr);
}

ResultsFile::~ResultsFile() {
  if (descriptor_ >= 0) ::close(descriptor_);
}

void ResultsFile::append(const json& line) {
  // One write() of the whole line: O_APPEND places it after every other writer's lines, never among them.
  const std::string text = line.is_null() ? std::string("\n") : line.dump(-1, ' ', true, json::error_handler_t::replace) + '\n';
  ssize_t count = -1;
  do {
    count = ::write(descriptor_, text.data(), text.size());
  } while (count < 0 && errno == EINTR);
  if (count < 0) throw ioErrorFromErrno("cannot write the results file " + io::quotedPath(path_), errno);
  if (static_cast<std::size_t>(count) != text.size())  // a full disk mid-line: the line is cut, collect skips it
    throw ioErrorFromErrno("cannot write the results file " + io::quotedPath(path_), ENOSPC);
  if (::fdatasync(descriptor_) != 0 && errno != EINVAL)
    throw ioErrorFromErrno("cannot write the results file " + io::quotedPath(path_), errno);
}

std::string statusWord(int exitStatus) {
  if (exitStatus == kExitSuccess) return "ok";
  if (exitStatus == kExitTemporaryFailure) return "transient";
  if (exitStatus > 128) return "stopped";
  return "failed";
}

json resultLine(const BatchEntry& entry, const std::string& variant, int renders, double durationS,
                const RenderOutcome& outcome) {
  json line{{"session", entry.session}};
  if (!entry.words.empty()) line["options"] = entry.words;
  line["variant"] = variant.empty() ? json() : json(variant);
  line["renders"] = renders;
  line["status"] = statusWord(outcome.exitStatus);
  line["exit_status"] = outcome.exitStatus;
  line["duration_s"] = std::round(durationS * 1000.0) / 1000.0;
  line["output_dir"] = outcome.outputDir.empty() ? json() : json(outcome.outputDir);
  json outputs = json::array();
  if (outcome.report.is_object())
    for (const json& output : outcome.report.at("outputs")) {
      json kept;
      for (const char* key : {"kind", "name", "file", "audio_sha256", "integrated_lufs", "loudness_range_lu",
                              "true_peak_dbtp", "sample_peak_dbfs"})
        if (output.contains(key)) kept[key] = output.at(key);
      outputs.push_back(std::move(kept));
    }
  line["outputs"] = std::move(outputs);
  if (!outcome.error.empty()) line["error"] = outcome.error;
  return line;
}

}  // namespace mixdown::cli
