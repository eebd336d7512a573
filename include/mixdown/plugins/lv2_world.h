#pragma once
// The lilv world: the descriptions (Turtle) of every installed LV2 plugin,
// loaded once per process from LV2_PATH (lilv's default path when unset).
// Loading a description never loads a plugin's binary. lilv is not
// thread-safe: every use holds the world's lock.

#include <lilv/lilv.h>

#include <mutex>
#include <string_view>
#include <vector>

namespace mixdown::plugins {

/** URI nodes the host asks lilv about, made once. */
struct Lv2Nodes {
  LilvNode* audioPort;
  LilvNode* controlPort;
  LilvNode* atomPort;
  LilvNode* cvPort;
  LilvNode* inputPort;
  LilvNode* outputPort;
  LilvNode* isSideChain;
  LilvNode* integer;
  LilvNode* toggled;
  LilvNode* enabled;
  LilvNode* freeWheeling;
  LilvNode* reportsLatency;
  LilvNode* latency;
  LilvNode* minimumSize;
  LilvNode* unit;
  LilvNode* unitSymbol;
  LilvNode* isLive;
  LilvNode* minorVersion;
  LilvNode* microVersion;
  LilvNode* preset;
  LilvNode* label;
  LilvNode* designation;
  LilvNode* portGroup;    // pg:group: the group a port belongs to
  LilvNode* sideChainOf;  // pg:sideChainOf: a group that is another group's sidechain
};

class Lv2World {
public:
  /** The process's world, loaded on first use. */
  static Lv2World& instance();

  Lv2World(const Lv2World&) = delete;
  Lv2World& operator=(const Lv2World&) = delete;

  /** Held for every call below and every use of what they return. */
  std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mutex_); }

  LilvWorld* world() const noexcept { return world_; }
  const LilvPlugins* plugins() const noexcept { return plugins_; }
  const Lv2Nodes& nodes() const noexcept { return nodes_; }
  /** The installed plugin of uri, or nullptr. */
  const LilvPlugin* plugin(std::string_view uri) const;

private:
  Lv2World();
  ~Lv2World();

  std::mutex mutex_;
  LilvWorld* world_ = nullptr;
  const LilvPlugins* plugins_ = nullptr;
  Lv2Nodes nodes_{};
  std::vector<LilvNode*> owned_;  // every node of nodes_, freed with the world
};

}  // namespace mixdown::plugins
