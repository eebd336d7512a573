// Two LV2 plugins that misbehave on purpose, for the containment tests
// (tests/cli/render_contained_test.cpp): "crash" raises SIGSEGV in run()
// once after_frames frames have passed through it (a pass-through before),
// "hang" never returns from its first run() after after_frames frames.
// Mono, one control input; no feature needed.

#include <lv2/core/lv2.h>

#include <csignal>
#include <cstdint>
#include <cstring>
#include <unistd.h>

namespace {

enum Port : std::uint32_t { kAfterFrames = 0, kInput = 1, kOutput = 2 };

struct Misbehaving {
  const float* afterFrames = nullptr;
  const float* input = nullptr;
  float* output = nullptr;
  std::uint64_t framesSoFar = 0;
  bool hang = false;
};

LV2_Handle instantiate(const LV2_Descriptor* descriptor, double, const char*, const LV2_Feature* const*) {
  auto* plugin = new Misbehaving;
  plugin->hang = std::strstr(descriptor->URI, "#hang") != nullptr;
  return plugin;
}

void connectPort(LV2_Handle handle, std::uint32_t port, void* data) {
  auto* plugin = static_cast<Misbehaving*>(handle);
  if (port == kAfterFrames) plugin->afterFrames = static_cast<const float*>(data);
  if (port == kInput) plugin->input = static_cast<const float*>(data);
  if (port == kOutput) plugin->output = static_cast<float*>(data);
}

void activate(LV2_Handle handle) { static_cast<Misbehaving*>(handle)->framesSoFar = 0; }

void run(LV2_Handle handle, std::uint32_t frames) {
  auto* plugin = static_cast<Misbehaving*>(handle);
  if (plugin->framesSoFar >= static_cast<std::uint64_t>(*plugin->afterFrames)) {
    if (plugin->hang)
      for (;;) sleep(60);
    std::raise(SIGSEGV);
  }
  std::memmove(plugin->output, plugin->input, frames * sizeof(float));
  plugin->framesSoFar += frames;
}

void cleanup(LV2_Handle handle) { delete static_cast<Misbehaving*>(handle); }

const LV2_Descriptor kCrash{"http://mixdown.test/lv2/misbehaving#crash", instantiate, connectPort, activate, run, nullptr,
                            cleanup, nullptr};
const LV2_Descriptor kHang{"http://mixdown.test/lv2/misbehaving#hang", instantiate, connectPort, activate, run, nullptr,
                           cleanup, nullptr};

}  // namespace

extern "C" LV2_SYMBOL_EXPORT const LV2_Descriptor* lv2_descriptor(std::uint32_t index) {
  if (index == 0) return &kCrash;
  if (index == 1) return &kHang;
  return nullptr;
}
