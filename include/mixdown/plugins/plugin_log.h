#pragma once
// The LV2 log feature of one plugin instance: what the plugin prints goes to
// the process's message sink (the CLI's warnings), prefixed with the insert.
// Outside run() a message is passed on at once; inside run() (where nothing
// may allocate or lock) it is formatted into a fixed ring and passed on at
// the next flush(), messages beyond the ring counted, not kept. Trace
// messages are dropped.

#include <lv2/log/log.h>

#include <array>
#include <cstdarg>
#include <string>

namespace mixdown::plugins {

/** Where plugin messages go: a function taking one line of text. */
using PluginMessageSink = void (*)(const std::string& message);

/** Sets the sink for the rest of the process (the CLI points it at its warnings); default: stderr. */
void setPluginMessageSink(PluginMessageSink sink) noexcept;

class PluginLog {
public:
  /** prefix: how messages name their source ("/tracks/0/inserts/1 (eg-amp)"). */
  explicit PluginLog(std::string prefix);

  PluginLog(const PluginLog&) = delete;
  PluginLog& operator=(const PluginLog&) = delete;

  /** The feature's data; valid as long as this object. */
  LV2_Log_Log* feature() noexcept { return &log_; }

  /** Between these, messages wait in the ring. */
  void enterRun() noexcept { inRun_ = true; }
  void leaveRun() noexcept { inRun_ = false; }
  /** Passes on the messages that waited (outside run()). */
  void flush();

private:
  static int printfCallback(LV2_Log_Handle handle, LV2_URID type, const char* format, ...);
  static int vprintfCallback(LV2_Log_Handle handle, LV2_URID type, const char* format, va_list arguments);
  int message(LV2_URID type, const char* format, va_list arguments) noexcept;

  static constexpr std::size_t kRingMessages = 16;
  static constexpr std::size_t kMessageBytes = 512;

  std::string prefix_;
  LV2_Log_Log log_;
  LV2_URID traceUrid_;
  bool inRun_ = false;
  std::array<std::array<char, kMessageBytes>, kRingMessages> ring_{};
  std::size_t waiting_ = 0;
  std::size_t dropped_ = 0;
};

}  // namespace mixdown::plugins
