#include "mixdown/plugins/urid_map.h"

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mixdown::plugins {

namespace {

/** URIs by URID (URID n is uris[n - 1]); a deque keeps the strings unmap returned in place. */
class UridTable {
public:
  LV2_URID map(const char* uri) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto found = ids_.find(uri);
    if (found != ids_.end()) return found->second;
    uris_.emplace_back(uri);
    const auto id = static_cast<LV2_URID>(uris_.size());
    ids_.emplace(uris_.back(), id);
    return id;
  }
  const char* unmap(LV2_URID id) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (id == 0 || id > uris_.size()) return nullptr;
    return uris_[id - 1].c_str();
  }

private:
  std::mutex mutex_;
  std::deque<std::string> uris_;
  std::unordered_map<std::string, LV2_URID> ids_;
};

UridTable& table() {
  static UridTable instance;
  return instance;
}

LV2_URID mapCallback(LV2_URID_Map_Handle /*handle*/, const char* uri) {
  try {
    return uri ? table().map(uri) : 0;
  } catch (...) {  // out of memory: 0 is the spec's "could not map"
    return 0;
  }
}

const char* unmapCallback(LV2_URID_Unmap_Handle /*handle*/, LV2_URID id) { return table().unmap(id); }

}  // namespace

LV2_URID_Map* uridMap() noexcept {
  static LV2_URID_Map map{nullptr, &mapCallback};
  return &map;
}

LV2_URID_Unmap* uridUnmap() noexcept {
  static LV2_URID_Unmap unmap{nullptr, &unmapCallback};
  return &unmap;
}

LV2_URID mapUri(const char* uri) { return table().map(uri); }

}  // namespace mixdown::plugins
