#include "mixdown/plugins/lv2_instance.h"

#include <lv2/atom/atom.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/core/lv2.h>
#include <lv2/options/options.h>
#include <lv2/urid/urid.h>

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "mixdown/plugins/host_support.h"
#include "mixdown/plugins/urid_map.h"

namespace mixdown::plugins {

namespace {

/** Atom buffers hold at least this many bytes (the size jalv and Ardour default to). */
constexpr std::uint32_t kMinSequenceBytes = 8192;
/** Room for one run's worker responses. */
constexpr std::size_t kWorkerResponseBytes = 1 << 16;

float initialValue(const PortDescription& port) {
  if (port.designation == LV2_CORE__enabled || port.designation == LV2_CORE__freeWheeling) return 1.0f;
  if (!std::isnan(port.defaultValue)) return port.defaultValue;
  if (!std::isnan(port.minimum)) return port.minimum;
  return 0.0f;
}

std::uint32_t sequenceBytesOf(const PluginDescription& description) {
  std::uint32_t bytes = kMinSequenceBytes;
  for (const PortDescription& port : description.ports)
    if (port.kind == PortKind::Atom) bytes = std::max(bytes, port.minimumBufferBytes);
  return bytes;
}

/**
 * Loads the plugin's library for the rest of the process (RTLD_NODELETE), so
 * lilv's dlclose when the last instance goes never unloads it: plugins that
 * leave threads or static objects behind cannot crash the process at exit,
 * and what their static constructors made stays reachable (the leak checker
 * of the sanitizer build sees it).
 */
void keepLibraryLoaded(const LilvPlugin* plugin) {
  char* path = lilv_file_uri_parse(lilv_node_as_uri(lilv_plugin_get_library_uri(plugin)), nullptr);
  if (!path) return;
  dlopen(path, RTLD_NOW | RTLD_NODELETE);  // a failure is lilv's to report when it opens the library
  lilv_free(path);
}

LV2_Options_Option intOption(const char* key, const std::int32_t* value) {
  return {LV2_OPTIONS_INSTANCE, 0, mapUri(key), sizeof(std::int32_t), mapUri(LV2_ATOM__Int), value};
}

}  // namespace

Lv2Instance::Lv2Instance(const LilvPlugin* plugin, const PluginDescription& description, double sampleRate,
                         int runFrames, PluginLog& log)
    : worker_(kWorkerResponseBytes),
      log_(log),
      sequenceUrid_(mapUri(LV2_ATOM__Sequence)),
      chunkUrid_(mapUri(LV2_ATOM__Chunk)) {
  const bool fixed = needsFixedBlockLength(description);
  sampleRate_ = static_cast<float>(sampleRate);
  minBlockFrames_ = fixed ? runFrames : 1;
  maxBlockFrames_ = runFrames;
  nominalBlockFrames_ = runFrames;
  sequenceBytes_ = static_cast<std::int32_t>(sequenceBytesOf(description));
  options_ = {
      {LV2_OPTIONS_INSTANCE, 0, mapUri(LV2_CORE__sampleRate), sizeof(float), mapUri(LV2_ATOM__Float), &sampleRate_},
      intOption(LV2_BUF_SIZE__minBlockLength, &minBlockFrames_),
      intOption(LV2_BUF_SIZE__maxBlockLength, &maxBlockFrames_),
      intOption(LV2_BUF_SIZE__nominalBlockLength, &nominalBlockFrames_),
      intOption(LV2_BUF_SIZE__sequenceSize, &sequenceBytes_),
      {LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, nullptr},
  };
  LV2_Feature mapFeature{LV2_URID__map, uridMap()};
  LV2_Feature unmapFeature{LV2_URID__unmap, uridUnmap()};
  LV2_Feature optionsFeature{LV2_OPTIONS__options, options_.data()};
  LV2_Feature boundedFeature{LV2_BUF_SIZE__boundedBlockLength, nullptr};
  LV2_Feature fixedFeature{LV2_BUF_SIZE__fixedBlockLength, nullptr};
  LV2_Feature powerOf2Feature{LV2_BUF_SIZE__powerOf2BlockLength, nullptr};
  LV2_Feature workerFeature{LV2_WORKER__schedule, worker_.feature()};
  LV2_Feature logFeature{LV2_LOG__log, log_.feature()};
  std::vector<const LV2_Feature*> features{&mapFeature, &unmapFeature, &optionsFeature, &boundedFeature,
                                           &workerFeature, &logFeature};
  if (fixed) features.push_back(&fixedFeature);
  if (fixed && (runFrames & (runFrames - 1)) == 0) features.push_back(&powerOf2Feature);
  features.push_back(nullptr);
  keepLibraryLoaded(plugin);
  instance_ = lilv_plugin_instantiate(plugin, sampleRate, features.data());
  log_.flush();
  if (!instance_) throw std::runtime_error("could not be instantiated (the messages above say why, if any)");
  worker_.attach(static_cast<const LV2_Worker_Interface*>(lilv_instance_get_extension_data(instance_, LV2_WORKER__interface)),
                 lilv_instance_get_handle(instance_));
  connectPorts(description, runFrames);
}

Lv2Instance::~Lv2Instance() {
  deactivate();
  lilv_instance_free(instance_);
  try {
    log_.flush();
  } catch (...) {  // out of memory for the last messages: they are lost, not the render
  }
}

void Lv2Instance::connectPorts(const PluginDescription& description, int runFrames) {
  const std::size_t count = description.ports.size();
  controls_.assign(count, 0.0f);
  audioBuffers_.resize(count);
  atomBuffers_.resize(count);
  for (const PortDescription& port : description.ports) {
    void* buffer = nullptr;
    switch (port.kind) {
      case PortKind::Control:
        controls_[port.index] = port.input ? initialValue(port) : 0.0f;
        buffer = &controls_[port.index];
        break;
      case PortKind::Audio:
      case PortKind::Cv:
        audioBuffers_[port.index].assign(static_cast<std::size_t>(runFrames), 0.0f);
        buffer = audioBuffers_[port.index].data();
        if (port.kind == PortKind::Audio && port.input) (port.sideChain ? sideChainInputs_ : mainInputs_).push_back(port.index);
        if (port.kind == PortKind::Audio && !port.input) mainOutputs_.push_back(port.index);
        break;
      case PortKind::Atom:
        atomBuffers_[port.index].assign((static_cast<std::size_t>(sequenceBytes_) + 7) / 8, 0);
        buffer = atomBuffers_[port.index].data();
        (port.input ? atomInputs_ : atomOutputs_).push_back(port.index);
        break;
      case PortKind::Other: break;  // refused before instantiation (host_support.h)
    }
    lilv_instance_connect_port(instance_, port.index, buffer);
  }
}

void Lv2Instance::activate() {
  if (active_) return;
  lilv_instance_activate(instance_);
  log_.flush();
  active_ = true;
}

void Lv2Instance::deactivate() noexcept {
  if (!active_) return;
  lilv_instance_deactivate(instance_);
  active_ = false;
}

void Lv2Instance::resetAtomPorts() noexcept {
  for (const std::uint32_t index : atomInputs_) {  // a well-formed empty sequence
    auto* sequence = reinterpret_cast<LV2_Atom_Sequence*>(atomBuffers_[index].data());
    sequence->atom.size = sizeof(LV2_Atom_Sequence_Body);
    sequence->atom.type = sequenceUrid_;
    sequence->body.unit = 0;
    sequence->body.pad = 0;
  }
  for (const std::uint32_t index : atomOutputs_) {  // a chunk: the space the plugin may write
    auto* atom = reinterpret_cast<LV2_Atom*>(atomBuffers_[index].data());
    atom->size = static_cast<std::uint32_t>(sequenceBytes_) - static_cast<std::uint32_t>(sizeof(LV2_Atom));
    atom->type = chunkUrid_;
  }
}

void Lv2Instance::run(int frames) noexcept {
  resetAtomPorts();
  log_.enterRun();
  lilv_instance_run(instance_, static_cast<std::uint32_t>(frames));
  worker_.deliverResponses();
  log_.leaveRun();
}

}  // namespace mixdown::plugins
