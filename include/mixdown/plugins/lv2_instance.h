#pragma once
// One instantiated LV2 plugin with every port connected to a buffer it owns:
// audio ports to runFrames floats, control ports to one float each (inputs
// at their defaults, lv2:enabled and lv2:freeWheeling at 1), atom inputs to
// an empty sequence and atom outputs to a chunk of the sequence size, CV
// outputs to runFrames floats. The features it is given: urid:map/unmap,
// options (sample rate, min/max/nominal block length, sequence size),
// bufsz (bounded, and fixed/power-of-two when the plugin needs them),
// worker:schedule (synchronous), log.

#include <lilv/lilv.h>
#include <lv2/options/options.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "mixdown/plugins/lv2_worker.h"
#include "mixdown/plugins/plugin_description.h"
#include "mixdown/plugins/plugin_log.h"

namespace mixdown::plugins {

class Lv2Instance {
public:
  /** Instantiates plugin (hold the world's lock); throws std::runtime_error when the plugin refuses. */
  Lv2Instance(const LilvPlugin* plugin, const PluginDescription& description, double sampleRate, int runFrames,
              PluginLog& log);
  ~Lv2Instance();

  Lv2Instance(const Lv2Instance&) = delete;
  Lv2Instance& operator=(const Lv2Instance&) = delete;

  void activate();
  void deactivate() noexcept;

  /** The buffer of the index-th main audio input or output (runFrames floats). */
  float* audioInput(std::size_t index) noexcept { return audioBuffers_[mainInputs_[index]].data(); }
  float* audioOutput(std::size_t index) noexcept { return audioBuffers_[mainOutputs_[index]].data(); }
  /** The buffer of the index-th sidechain audio input (runFrames floats). */
  float* sideChainInput(std::size_t index) noexcept { return audioBuffers_[sideChainInputs_[index]].data(); }
  /** The value slot of a control port, by port index. */
  float& control(std::uint32_t port) noexcept { return controls_[port]; }
  float control(std::uint32_t port) const noexcept { return controls_[port]; }

  /** run(frames) with frames <= runFrames, then the worker's responses; never allocates. */
  void run(int frames) noexcept;

private:
  void connectPorts(const PluginDescription& description, int runFrames);
  void resetAtomPorts() noexcept;

  LilvInstance* instance_ = nullptr;
  Lv2Worker worker_;
  PluginLog& log_;
  std::uint32_t sequenceUrid_;
  std::uint32_t chunkUrid_;
  // The options feature's values: they must outlive the instance.
  float sampleRate_ = 0.0f;
  std::int32_t minBlockFrames_ = 0;
  std::int32_t maxBlockFrames_ = 0;
  std::int32_t nominalBlockFrames_ = 0;
  std::int32_t sequenceBytes_ = 0;
  std::vector<LV2_Options_Option> options_;
  std::vector<float> controls_;                     // by port index (unused for other ports)
  std::vector<std::vector<float>> audioBuffers_;    // by port index (empty for other ports)
  std::vector<std::vector<std::uint64_t>> atomBuffers_;  // by port index; 8-byte aligned
  std::vector<std::uint32_t> atomInputs_;
  std::vector<std::uint32_t> atomOutputs_;
  std::vector<std::uint32_t> sideChainInputs_;
  std::vector<std::uint32_t> mainInputs_;
  std::vector<std::uint32_t> mainOutputs_;
  bool active_ = false;
};

}  // namespace mixdown::plugins
