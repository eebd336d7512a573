#include "mixdown/render/output_manifest.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <stdexcept>
#include <nlohmann/json.hpp>
#include <utility>

#include "mixdown/io/file_identity.h"
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

/** What an output's identity is compared by: a rename (into place) changes its ctime, never these. */
json outputIdentity(const io::FileIdentity& identity) {
  return json{{"size", identity.sizeBytes}, {"mtime_ns", identity.mtimeNs}, {"inode", identity.inode}};
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
    Entry listed{entry.at("file").get<std::string>(), entry.at("sha256").get<std::string>(), entry.value("identity", json()),
                 {}, 0, entry.value("report_entry", json()), entry.value("warnings", json::array())};
    if (entry.contains("recipe") && entry.at("recipe").is_string() && entry.contains("render_frames") &&
        entry.at("render_frames").is_number_integer()) {
      listed.recipe = entry.at("recipe").get<std::string>();
      listed.renderFrames = entry.at("render_frames").get<std::int64_t>();
    }
    if (isInsideName(listed.file)) listed_.push_back(std::move(listed));
  }
  if (record.contains("render") && record.at("render").is_object()) render_ = record.at("render");
  if (record.contains("inputs")) inputs_ = record.at("inputs");
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

std::optional<OutputManifest::Reusable> OutputManifest::reusable(const fs::path& target, const std::string& recipe) {
  const std::string name = relativeName(target);
  const auto entry = std::find_if(listed_.begin(), listed_.end(), [&](const Entry& listed) { return listed.file == name; });
  if (name.empty() || entry == listed_.end() || entry->recipe.empty() || entry->recipe != recipe) return std::nullopt;
  const std::optional<io::FileIdentity> identity = io::fileIdentity(folder_ / entry->file, io::FollowLinks::No);
  if (!identity) return std::nullopt;
  if (outputIdentity(*identity) != entry->identity) {
    // Copied back or restored from a backup: the same bytes are as good.
    try {
      if (io::sha256OfFile(folder_ / entry->file) != entry->sha256) return std::nullopt;
    } catch (const IoError&) {
      return std::nullopt;
    }
  }
  return Reusable{entry->renderFrames, entry->reportEntry, entry->warnings};
}

std::optional<std::string> OutputManifest::intactSha256(const fs::path& target) const {
  const std::string name = relativeName(target);
  const auto entry = std::find_if(listed_.begin(), listed_.end(), [&](const Entry& listed) { return listed.file == name; });
  if (name.empty() || entry == listed_.end()) return std::nullopt;
  const std::optional<io::FileIdentity> identity = io::fileIdentity(folder_ / entry->file, io::FollowLinks::No);
  if (!identity || outputIdentity(*identity) != entry->identity) return std::nullopt;
  return entry->sha256;
}

std::optional<OutputManifest::RecordedRender> OutputManifest::recordedRender(const std::string& recipe) const {
  if (!render_.is_object() || render_.value("recipe", std::string()) != recipe || !render_.contains("report") ||
      !render_.contains("warnings") || !render_.at("warnings").is_array())
    return std::nullopt;
  return RecordedRender{render_.at("report"), render_.at("warnings")};
}

io::TemporaryFile OutputManifest::stageRecord(const std::vector<RecordedFile>& recorded, const RecordedRender& render,
                                              const std::string& renderRecipe, json inputs) const {
  json files = json::array();
  for (const RecordedFile& file : recorded) {
    const std::string name = relativeName(file.target);
    if (name.empty()) continue;
    json entry;
    if (file.staged) {
      entry = json{{"file", name}, {"sha256", file.staged->sha256}, {"identity", outputIdentity(file.staged->identity)}};
    } else {
      const auto kept = std::find_if(listed_.begin(), listed_.end(), [&](const Entry& listed) { return listed.file == name; });
      if (kept == listed_.end()) throw std::logic_error("output manifest: a kept file was never listed");
      entry = json{{"file", name}, {"sha256", kept->sha256}, {"identity", kept->identity}};
    }
    entry["recipe"] = file.recipe;
    entry["render_frames"] = file.renderFrames;
    if (!file.reportEntry.is_null()) entry["report_entry"] = file.reportEntry;
    entry["warnings"] = file.warnings;
    files.push_back(std::move(entry));
  }
  const json record{{"mixdown_outputs", 2},
                    {"files", std::move(files)},
                    {"render", {{"recipe", renderRecipe}, {"report", render.report}, {"warnings", render.warnings}}},
                    {"inputs", std::move(inputs)}};
  return io::stageTextFile(recordPath(), record.dump(2, ' ', false, json::error_handler_t::replace) + '\n');
}

void OutputManifest::removeStale() {
  for (const std::string& file : stale_) remove(file);
  stale_.clear();
}

}  // namespace mixdown::render
