#include "mixdown/plugins/plugin_log.h"

#include <atomic>
#include <cstdio>

#include "mixdown/plugins/urid_map.h"

namespace mixdown::plugins {

namespace {

void stderrSink(const std::string& message) { std::fprintf(stderr, "mixdown: %s\n", message.c_str()); }

std::atomic<PluginMessageSink> currentSink{&stderrSink};

/** A message without its trailing newlines (plugins end theirs with one). */
std::string trimmed(const char* text) {
  std::string line(text);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

}  // namespace

void setPluginMessageSink(PluginMessageSink sink) noexcept { currentSink.store(sink ? sink : &stderrSink); }

PluginLog::PluginLog(std::string prefix)
    : prefix_(std::move(prefix)),
      log_{this, &PluginLog::printfCallback, &PluginLog::vprintfCallback},
      traceUrid_(mapUri(LV2_LOG__Trace)) {}

int PluginLog::printfCallback(LV2_Log_Handle handle, LV2_URID type, const char* format, ...) {
  va_list arguments;
  va_start(arguments, format);
  const int written = static_cast<PluginLog*>(handle)->message(type, format, arguments);
  va_end(arguments);
  return written;
}

int PluginLog::vprintfCallback(LV2_Log_Handle handle, LV2_URID type, const char* format, va_list arguments) {
  return static_cast<PluginLog*>(handle)->message(type, format, arguments);
}

int PluginLog::message(LV2_URID type, const char* format, va_list arguments) noexcept {
  if (type == traceUrid_ || !format) return 0;
  if (inRun_) {
    if (waiting_ == kRingMessages) {
      ++dropped_;
      return 0;
    }
    return std::vsnprintf(ring_[waiting_++].data(), kMessageBytes, format, arguments);
  }
  std::array<char, kMessageBytes> text{};
  const int written = std::vsnprintf(text.data(), kMessageBytes, format, arguments);
  try {
    currentSink.load()(prefix_ + ": " + trimmed(text.data()));
  } catch (...) {  // a message that cannot be passed on is not the plugin's problem
  }
  return written;
}

void PluginLog::flush() {
  const PluginMessageSink sink = currentSink.load();
  for (std::size_t index = 0; index < waiting_; ++index) sink(prefix_ + ": " + trimmed(ring_[index].data()));
  if (dropped_ > 0) sink(prefix_ + ": " + std::to_string(dropped_) + " more message(s) while rendering, not shown");
  waiting_ = 0;
  dropped_ = 0;
}

}  // namespace mixdown::plugins
