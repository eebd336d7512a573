// Two LV2 plugins that misbehave on purpose, for the containment tests
// (tests/cli/render_contained_test.cpp): "crash" raises SIGSEGV in run()
// once after_frames frames have passed through it (a pass-through before),
// "hang" never returns from its first run() after after_frames frames,
// "latency" passes its input through but reports a latency of 0 frames,
// then 64 from after_frames on. Mono, one control input (and latency's
// control output); no feature needed.

#include <lv2/core/lv2.h>

#include <csignal>
#include <cstdint>
#include <cstring>
#include <unistd.h>

namespace {

enum Port : std::uint32_t { kAfterFrames = 0, kInput = 1, kOutput = 2, kLatencyPort = 3 };
enum class Misdeed { Crash, Hang, Latency };

struct Misbehaving {
  const float* afterFrames = nullptr;
  const float* input = nullptr;
  float* output = nullptr;
  float* latency = nullptr;
  std::uint64_t framesSoFar = 0;
  Misdeed misdeed = Misdeed::Crash;
};

LV2_Handle instantiate(const LV2_Descriptor* descriptor, double, const char*, const LV2_Feature* const*) {
  auto* plugin = new Misbehaving;
  if (std::strstr(descriptor->URI, "#hang")) plugin->misdeed = Misdeed::Hang;
  if (std::strstr(descriptor->URI, "#latency")) plugin->misdeed = Misdeed::Latency;
  return plugin;
}

void connectPort(LV2_Handle handle, std::uint32_t port, void* data) {
  auto* plugin = static_cast<Misbehaving*>(handle);
  if (port == kAfterFrames) plugin->afterFrames = static_cast<const float*>(data);
  if (port == kInput) plugin->input = static_cast<const float*>(data);
  if (port == kOutput) plugin->output = static_cast<float*>(data);
  if (port == kLatencyPort) plugin->latency = static_cast<float*>(data);
}

void activate(LV2_Handle handle) { static_cast<Misbehaving*>(handle)->framesSoFar = 0; }

void run(LV2_Handle handle, std::uint32_t frames) {
  auto* plugin = static_cast<Misbehaving*>(handle);
  const bool after = plugin->framesSoFar >= static_cast<std::uint64_t>(*plugin->afterFrames);
  if (plugin->misdeed == Misdeed::Latency) *plugin->latency = after ? 64.0f : 0.0f;
  else if (after && plugin->misdeed == Misdeed::Hang)
    for (;;) sleep(60);
  else if (after)
    std::raise(SIGSEGV);
  std::memmove(plugin->output, plugin->input, frames * sizeof(float));
  plugin->framesSoFar += frames;
}

void cleanup(LV2_Handle handle) { delete static_cast<Misbehaving*>(handle); }

const LV2_Descriptor kCrash{"http://mixdown.test/lv2/misbehaving#crash", instantiate, connectPort, activate, run, nullptr,
                            cleanup, nullptr};
const LV2_Descriptor kHang{"http://mixdown.test/lv2/misbehaving#hang", instantiate, connectPort, activate, run, nullptr,
                           cleanup, nullptr};
const LV2_Descriptor kLatency{"http://mixdown.test/lv2/misbehaving#latency", instantiate, connectPort, activate, run, nullptr,
                              cleanup, nullptr};

}  // namespace

extern "C" LV2_SYMBOL_EXPORT const LV2_Descriptor* lv2_descriptor(std::uint32_t index) {
  if (index == 0) return &kCrash;
  if (index == 1) return &kHang;
  if (index == 2) return &kLatency;
  return nullptr;
}
