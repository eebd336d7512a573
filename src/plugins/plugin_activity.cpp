#include "mixdown/plugins/plugin_activity.h"

#include <sys/mman.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>

namespace mixdown::plugins {

namespace {

constexpr int kSlots = 256;             // a render's threads (-j is at most 256); more share the last slot
constexpr std::size_t kLabelBytes = 240;

struct Slot {
  std::atomic<std::int64_t> sinceNs{0};  // the call's start, 0 while idle
  const char* written = nullptr;         // the label last copied here (this process's own pointer)
  char label[kLabelBytes] = {};
};

struct Table {
  std::atomic<int> nextSlot{0};
  Slot slots[kSlots];
};

static_assert(std::atomic<std::int64_t>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "lock-free atomics work across processes in shared memory");

Table* table = nullptr;

std::int64_t monotonicNs() noexcept {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

/** This thread's slot in the table, claimed at its first call. */
int threadSlot() noexcept {
  thread_local int slot = -1;
  if (slot < 0) slot = std::min(table->nextSlot.fetch_add(1, std::memory_order_relaxed), kSlots - 1);
  return slot;
}

}  // namespace

void shareActivityTable() {
  if (!table) {
    void* memory = mmap(nullptr, sizeof(Table), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    table = new (memory) Table;
  }
  table->nextSlot.store(0);
  for (Slot& slot : table->slots) {
    slot.sinceNs.store(0);
    slot.written = nullptr;
    slot.label[0] = '\0';
  }
}

std::vector<BusyPluginCall> busyPluginCalls() {
  std::vector<BusyPluginCall> busy;
  if (!table) return busy;
  const std::int64_t now = monotonicNs();
  for (const Slot& slot : table->slots) {
    const std::int64_t since = slot.sinceNs.load(std::memory_order_acquire);
    if (since == 0) continue;
    busy.push_back({std::string(slot.label, strnlen(slot.label, kLabelBytes)), static_cast<double>(now - since) * 1e-9});
  }
  return busy;
}

PluginCall::PluginCall(const std::string& label) noexcept {
  if (!table) return;
  slot_ = threadSlot();
  Slot& slot = table->slots[slot_];
  if (slot.written != label.c_str()) {
    const std::size_t bytes = std::min(label.size(), kLabelBytes - 1);
    std::memcpy(slot.label, label.data(), bytes);
    slot.label[bytes] = '\0';
    slot.written = label.c_str();
  }
  slot.sinceNs.store(monotonicNs(), std::memory_order_release);
}

PluginCall::~PluginCall() {
  if (slot_ >= 0) table->slots[slot_].sinceNs.store(0, std::memory_order_release);
}

}  // namespace mixdown::plugins
