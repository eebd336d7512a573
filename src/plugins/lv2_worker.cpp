#include "mixdown/plugins/lv2_worker.h"

#include <cstring>

namespace mixdown::plugins {

namespace {
constexpr std::size_t kHeaderBytes = 8;
std::size_t padded(std::size_t bytes) { return (bytes + 7) / 8 * 8; }
}  // namespace

Lv2Worker::Lv2Worker(std::size_t responseBytes) : schedule_{this, &Lv2Worker::scheduleCallback}, responses_(responseBytes) {}

void Lv2Worker::attach(const LV2_Worker_Interface* interface, LV2_Handle plugin) noexcept {
  interface_ = interface;
  plugin_ = plugin;
}

LV2_Worker_Status Lv2Worker::scheduleCallback(LV2_Worker_Schedule_Handle handle, std::uint32_t size, const void* data) {
  auto* worker = static_cast<Lv2Worker*>(handle);
  if (!worker->interface_ || !worker->interface_->work || worker->working_) return LV2_WORKER_ERR_UNKNOWN;
  worker->working_ = true;
  const LV2_Worker_Status status =
      worker->interface_->work(worker->plugin_, &Lv2Worker::respondCallback, worker, size, data);
  worker->working_ = false;
  return status;
}

LV2_Worker_Status Lv2Worker::respondCallback(LV2_Worker_Respond_Handle handle, std::uint32_t size, const void* data) {
  auto* worker = static_cast<Lv2Worker*>(handle);
  const std::size_t needed = kHeaderBytes + padded(size);
  if (worker->used_ + needed > worker->responses_.size()) return LV2_WORKER_ERR_NO_SPACE;
  unsigned char* slot = worker->responses_.data() + worker->used_;
  std::memcpy(slot, &size, sizeof(size));
  if (size > 0) std::memcpy(slot + kHeaderBytes, data, size);
  worker->used_ += needed;
  return LV2_WORKER_SUCCESS;
}

void Lv2Worker::deliverResponses() noexcept {
  if (!interface_) return;
  std::size_t offset = 0;
  while (offset < used_) {
    std::uint32_t size = 0;
    std::memcpy(&size, responses_.data() + offset, sizeof(size));
    if (interface_->work_response) interface_->work_response(plugin_, size, responses_.data() + offset + kHeaderBytes);
    offset += kHeaderBytes + padded(size);
  }
  used_ = 0;
  if (interface_->end_run) interface_->end_run(plugin_);
}

}  // namespace mixdown::plugins
