#include "mixdown/render/output_manifest.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <nlohmann/json.hpp>
#include <utility>

#include "mixdown/io/sha256.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/io/text_output.h"
#include "mixdown/util/error.h"

namespace mixdown::render {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

/** Whether name is a path a render may have written inside its folder: relative, no "..", not the record. */
bool isInsideName(const std::string& name) {
  if (name.empty() || name.front() == '/') return false;
  const fs::path path(name);
  for (const auto& part : path)
    if (part == ".." || part == ".") return false;
  return name != io::kOutputRecordName;
}

}  // namespace

OutputManifest::OutputManifest(fs::path folder) : folder_(std::move(folder)) {
  std::ifstream in(recordPath(), std::ios::binary);
  if (!in) return;
  const json record = json::parse(in, nullptr, false);
  if (!record.is_object() || !record.contains("files") || !record.at("files").is_array()) return;
  for (const auto& entry : record.at("files")) {
    if (!entry.is_object() || !entry.contains("file") || !entry.contains("sha256") || !entry.at("file").is_string() ||
        !entry.at("sha256").is_string())
      continue;
    Entry listed{entry.at("file").get<std::string>(), entry.at("sha256").get<std::string>()};
    if (isInsideName(listed.file)) listed_.push_back(std::move(listed));
  }
}

std::string OutputManifest::relativeName(const fs::path& path) const {
  const std::string name = path.lexically_normal().lexically_relative(folder_.lexically_normal()).generic_string();
  return isInsideName(name) ? name : std::string();
}

bool OutputManifest::unchanged(const Entry& entry) {
  const fs::path path = folder_ / entry.file;
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0) return false;  // gone already: nothing to do
  std::string changed;
  try {
    const std::optional<std::string> sha256 = io::sha256OfFile(path);
    if (sha256 == entry.sha256) return true;
    changed = "\"" + entry.file + "\" was written by an earlier render but has been changed since; left in place";
  } catch (const IoError& error) {
    changed = "\"" + entry.file + "\" was written by an earlier render but cannot be read now (" + error.what() +
              "); left in place";
  }
  if (std::find(warnings_.begin(), warnings_.end(), changed) == warnings_.end()) warnings_.push_back(changed);
  return false;
}

void OutputManifest::remove(const std::string& file) const {
  fs::path path = folder_ / file;
  if (::unlink(path.c_str()) != 0) return;  // vanished meanwhile
  // A folder the removal left empty (stems/) goes too; a folder with anything in it stays.
  for (fs::path parent = fs::path(file).parent_path(); !parent.empty(); parent = parent.parent_path())
    if (::rmdir((folder_ / parent).c_str()) != 0) break;
}

void OutputManifest::removeAll() {
  for (const Entry& entry : listed_)
    if (unchanged(entry)) remove(entry.file);
  listed_.clear();
  ::unlink(recordPath().c_str());
}

std::vector<std::string> OutputManifest::planStale(const std::vector<fs::path>& written) {
  std::vector<std::string> writtenNames;
  for (const fs::path& path : written) writtenNames.push_back(relativeName(path));
  stale_.clear();
  for (const Entry& entry : listed_)
    if (std::find(writtenNames.begin(), writtenNames.end(), entry.file) == writtenNames.end() && unchanged(entry))
      stale_.push_back(entry.file);
  return stale_;
}

io::TemporaryFile OutputManifest::stageRecord(const std::vector<io::StagedFile>& staged) const {
  json files = json::array();
  for (const io::StagedFile& file : staged) {
    const std::string name = relativeName(file.target);
    if (name.empty()) continue;
    const std::optional<std::string> sha256 = io::sha256OfFile(file.file->path());
    if (!sha256) throw IoError("cannot read back " + io::quotedPath(file.file->path()));
    files.push_back(json{{"file", name}, {"sha256", *sha256}});
  }
  const json record{{"mixdown_outputs", 1}, {"files", std::move(files)}};
  return io::stageTextFile(recordPath(), record.dump(2) + '\n');
}

void OutputManifest::removeStale() {
  for (const std::string& file : stale_) remove(file);
  stale_.clear();
}

}  // namespace mixdown::render
