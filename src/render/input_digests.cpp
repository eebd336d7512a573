#include "mixdown/render/input_digests.h"

#include <chrono>
#include <cmath>

#include "mixdown/io/sha256.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::render {

namespace {

using json = nlohmann::json;

std::string keyOf(const std::filesystem::path& file) {
  std::error_code ignored;
  const std::filesystem::path absolute = std::filesystem::absolute(file, ignored);
  return (absolute.empty() ? file : absolute).lexically_normal().generic_string();
}

std::int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

json identityJson(const io::FileIdentity& identity) {
  return json{{"size", identity.sizeBytes}, {"mtime_ns", identity.mtimeNs}, {"ctime_ns", identity.ctimeNs},
              {"inode", identity.inode}, {"device", identity.device}};
}

std::optional<io::FileIdentity> identityFromJson(const json& value) {
  const auto integer = [&](const char* key) { return value.contains(key) && value.at(key).is_number_integer(); };
  if (!value.is_object() || !integer("size") || !integer("mtime_ns") || !integer("ctime_ns") || !integer("inode") ||
      !integer("device"))
    return std::nullopt;
  return io::FileIdentity{value.at("size").get<std::uintmax_t>(), value.at("mtime_ns").get<std::int64_t>(),
                          value.at("ctime_ns").get<std::int64_t>(), value.at("inode").get<std::uint64_t>(),
                          value.at("device").get<std::uint64_t>()};
}

}  // namespace

InputDigests::InputDigests(const json& recorded) {
  if (!recorded.is_array()) return;
  for (const json& entry : recorded) {
    if (!entry.is_object() || !entry.contains("file") || !entry.at("file").is_string() || !entry.contains("sha256") ||
        !entry.at("sha256").is_string())
      continue;
    recorded_[entry.at("file").get<std::string>()] =
        Known{entry.at("sha256").get<std::string>(), entry.contains("identity") ? identityFromJson(entry.at("identity")) : std::nullopt};
  }
}

const std::string& InputDigests::digestOf(const std::filesystem::path& file) {
  const std::string key = keyOf(file);
  if (const auto used = used_.find(key); used != used_.end()) return used->second.sha256;
  const auto settled = [](const io::FileIdentity& identity) {
    const std::int64_t settleNs = std::llround(kSettleS * 1e9);
    const std::int64_t now = nowNs();
    return now - identity.mtimeNs >= settleNs && now - identity.ctimeNs >= settleNs;
  };
  const std::optional<io::FileIdentity> identity = io::fileIdentity(file, io::FollowLinks::Yes);
  if (const auto known = recorded_.find(key); identity && known != recorded_.end() && known->second.identity == identity)
    return (used_[key] = Known{known->second.sha256, identity}).sha256;
  std::optional<io::FileDigest> digest = io::digestOfFile(file, io::FollowLinks::Yes);
  if (!digest) throw IoError("cannot read " + io::quotedPath(file) + ": it is missing or not a regular file");
  const std::optional<io::FileIdentity> trusted =
      settled(digest->identity) ? std::optional<io::FileIdentity>(digest->identity) : std::nullopt;
  return (used_[key] = Known{std::move(digest->sha256), trusted}).sha256;
}

bool InputDigests::learned() const {
  for (const auto& [file, known] : used_) {
    if (!known.identity) continue;
    const auto recorded = recorded_.find(file);
    if (recorded == recorded_.end() || recorded->second.identity != known.identity) return true;
  }
  return false;
}

json InputDigests::record() const {
  json inputs = json::array();
  for (const auto& [file, known] : used_) {
    json entry{{"file", file}, {"sha256", known.sha256}};
    if (known.identity) entry["identity"] = identityJson(*known.identity);
    inputs.push_back(std::move(entry));
  }
  return inputs;
}

}  // namespace mixdown::render
