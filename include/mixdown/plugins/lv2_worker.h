#pragma once
// The LV2 worker (worker:schedule) run synchronously, as the worker spec asks
// of offline rendering: schedule_work() calls the plugin's work() at once;
// its responses wait in a fixed buffer and are delivered by
// deliverResponses() after run(), followed by end_run(). Nothing allocates
// after construction.

#include <lv2/worker/worker.h>

#include <cstdint>
#include <vector>

namespace mixdown::plugins {

class Lv2Worker {
public:
  /** responseBytes: room for one run's responses (a response that does not fit is refused). */
  explicit Lv2Worker(std::size_t responseBytes);

  Lv2Worker(const Lv2Worker&) = delete;
  Lv2Worker& operator=(const Lv2Worker&) = delete;

  /** The feature's data; valid as long as this object. */
  LV2_Worker_Schedule* feature() noexcept { return &schedule_; }
  /** After instantiation: the plugin's worker interface (nullptr: the plugin has none) and handle. */
  void attach(const LV2_Worker_Interface* interface, LV2_Handle plugin) noexcept;

  /** Hands the plugin its waiting responses, then end_run(); after every run(). */
  void deliverResponses() noexcept;

private:
  static LV2_Worker_Status scheduleCallback(LV2_Worker_Schedule_Handle handle, std::uint32_t size, const void* data);
  static LV2_Worker_Status respondCallback(LV2_Worker_Respond_Handle handle, std::uint32_t size, const void* data);

  LV2_Worker_Schedule schedule_;
  const LV2_Worker_Interface* interface_ = nullptr;
  LV2_Handle plugin_ = nullptr;
  std::vector<unsigned char> responses_;  // [uint32 size][bytes, padded to 8] ...
  std::size_t used_ = 0;
  bool working_ = false;  // inside work(): a nested schedule is refused
};

}  // namespace mixdown::plugins
