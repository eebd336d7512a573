#include "mixdown/plugins/lv2_processor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "mixdown/dsp/level_detector.h"
#include "mixdown/plugins/host_support.h"
#include "mixdown/plugins/lv2_instance.h"
#include "mixdown/plugins/plugin_activity.h"
#include "mixdown/plugins/lv2_world.h"

namespace mixdown::plugins {

namespace {

std::runtime_error insertError(const Lv2InsertSettings& settings, const std::string& message) {
  return std::runtime_error(settings.pointer + ": plugin " + settings.uri + " " + message);
}

PluginDescription installedOrThrow(const Lv2InsertSettings& settings) {
  std::optional<PluginDescription> description = describePlugin(settings.uri);
  if (!description) throw insertError(settings, "is not installed (mixdown plugins lists those that are)");
  const std::vector<std::string> problems = hostingProblems(*description);
  if (!problems.empty()) throw insertError(settings, problems.front());
  return std::move(*description);
}

}  // namespace

Lv2Processor::Lv2Processor(Lv2InsertSettings settings)
    : settings_(std::move(settings)),
      description_(installedOrThrow(settings_)),
      callLabel_(settings_.pointer + " (" + description_.name + ")"),
      log_(callLabel_) {
  for (const auto& [symbol, value] : settings_.controls) {
    const PortDescription* port = description_.controlInput(symbol);
    if (!port) throw insertError(settings_, "has no control input \"" + symbol + "\"");
    controlPorts_.push_back(port->index);
    params_.controls.push_back(value);
  }
  inputsPerInstance_ = static_cast<int>(description_.mainAudio(true).size());
  outputsPerInstance_ = static_cast<int>(description_.mainAudio(false).size());
  sideChainsPerInstance_ = static_cast<int>(description_.sideChainAudio().size());
  fixedLength_ = needsFixedBlockLength(description_);
}

Lv2Processor::~Lv2Processor() {
  const PluginCall call(callLabel_);  // deactivate() and cleanup() run the plugin's code too
  instances_.clear();
}

ProcessorProperties Lv2Processor::properties(int inputChannels) const noexcept {
  ProcessorProperties properties;
  properties.outputChannels = inputsPerInstance_ == 1 && outputsPerInstance_ == 1 ? inputChannels : 2;
  properties.latencyFrames = latencyFrames_;
  return properties;
}

void Lv2Processor::prepare(const ProcessSpec& spec) {
  const PluginCall call(callLabel_);
  instances_.clear();
  runFrames_ = runFramesFor(description_, spec.maxBlockFrames);
  const int instanceCount = inputsPerInstance_ == 1 && outputsPerInstance_ == 1 ? spec.channels : 1;
  {
    Lv2World& world = Lv2World::instance();
    const auto lock = world.lock();
    const LilvPlugin* plugin = world.plugin(description_.uri);
    if (!plugin) throw insertError(settings_, "is no longer installed");
    for (int index = 0; index < instanceCount; ++index) {
      try {
        instances_.push_back(std::make_unique<Lv2Instance>(plugin, description_, spec.sampleRate, runFrames_, log_));
      } catch (const std::runtime_error& error) {
        throw insertError(settings_, error.what());
      }
    }
  }
  keyFilters_.assign(settings_.keyHighpassHz ? instances_.size() * static_cast<std::size_t>(sideChainsPerInstance_) : 0,
                     dsp::Biquad{});
  for (dsp::Biquad& filter : keyFilters_)
    filter.setCoefficients(dsp::designRbj(dsp::BiquadShape::Highpass, *settings_.keyHighpassHz, dsp::kKeyHighpassQ, 0.0, spec.sampleRate));
  applyControls();
  // A silent warm-up block: plugins that report their latency do so from their first run().
  for (const auto& instance : instances_) {
    instance->activate();
    instance->run(runFrames_);
  }
  log_.flush();
  latencyFrames_ = reportedLatencyFrames();
  changedLatencyFrames_ = -1;
}

std::optional<std::string> Lv2Processor::renderProblem() const {
  if (changedLatencyFrames_ < 0) return std::nullopt;
  return description_.name + " changed its reported latency from " + std::to_string(latencyFrames_) + " to " +
         std::to_string(changedLatencyFrames_) +
         " frames during the render; mixdown compensates a fixed latency, so this track would be shifted against the others";
}

int Lv2Processor::reportedLatencyFrames() const noexcept {
  if (!description_.latencyPort || instances_.empty()) return 0;
  const float reported = instances_.front()->control(*description_.latencyPort);
  return std::isfinite(reported) ? std::max(0, static_cast<int>(std::lround(reported))) : 0;
}

void Lv2Processor::reset() noexcept {
  const PluginCall call(callLabel_);
  try {
    for (const auto& instance : instances_) {
      instance->deactivate();
      instance->activate();
    }
    for (dsp::Biquad& filter : keyFilters_) filter.reset();
  } catch (...) {  // activate() only allocates to pass on the plugin's messages
  }
}

void Lv2Processor::retarget(const Params& target, int /*rampFrames*/) noexcept {
  std::copy(target.controls.begin(), target.controls.end(), params_.controls.begin());
  applyControls();
}

void Lv2Processor::applyControls() noexcept {
  for (const auto& instance : instances_)
    for (std::size_t index = 0; index < controlPorts_.size(); ++index)
      instance->control(controlPorts_[index]) = static_cast<float>(params_.controls[index]);
}

void Lv2Processor::feedSideChain(std::size_t instanceIndex, ConstAudioBlock key, int frames, int runLength) noexcept {
  Lv2Instance& instance = *instances_[instanceIndex];
  const bool perChannel = instances_.size() > 1;
  for (int input = 0; input < sideChainsPerInstance_; ++input) {
    float* into = instance.sideChainInput(static_cast<std::size_t>(input));
    if (key.channels() == 0) {
      std::fill_n(into, runLength, 0.0f);
      continue;
    }
    const int wanted = perChannel ? static_cast<int>(instanceIndex) : input;
    if (key.channels() == 2 && sideChainsPerInstance_ == 1 && !perChannel) {
      const float* left = key.channel(0);
      const float* right = key.channel(1);
      for (int frame = 0; frame < frames; ++frame) into[frame] = 0.5f * (left[frame] + right[frame]);
    } else {
      std::memcpy(into, key.channel(std::min(wanted, key.channels() - 1)), static_cast<std::size_t>(frames) * sizeof(float));
    }
    if (!keyFilters_.empty()) {
      dsp::Biquad& filter = keyFilters_[instanceIndex * static_cast<std::size_t>(sideChainsPerInstance_) +
                                        static_cast<std::size_t>(input)];
      for (int frame = 0; frame < frames; ++frame) into[frame] = static_cast<float>(filter.processSample(0, into[frame]));
    }
    std::fill_n(into + frames, runLength - frames, 0.0f);
  }
}

void Lv2Processor::runPiece(AudioBlock io, ConstAudioBlock key, int frames) noexcept {
  const int runLength = fixedLength_ ? runFrames_ : frames;
  const auto bytes = static_cast<std::size_t>(frames) * sizeof(float);
  const auto padding = static_cast<std::size_t>(runLength - frames);
  auto fill = [&](float* into, const float* from) {
    std::memcpy(into, from, bytes);
    std::fill_n(into + frames, padding, 0.0f);
  };
  if (inputsPerInstance_ == 1 && outputsPerInstance_ == 1) {
    for (std::size_t channel = 0; channel < instances_.size(); ++channel) {
      Lv2Instance& instance = *instances_[channel];
      float* samples = io.channel(static_cast<int>(channel));
      fill(instance.audioInput(0), samples);
      feedSideChain(channel, key, frames, runLength);
      instance.run(runLength);
      std::memcpy(samples, instance.audioOutput(0), bytes);
    }
    return;
  }
  Lv2Instance& instance = *instances_.front();
  if (inputsPerInstance_ == 1) {  // 1 in, 2 out: the mid of both channels (a mono strip's copy gives its signal exactly)
    float* input = instance.audioInput(0);
    const float* left = io.channel(0);
    const float* right = io.channel(1);
    for (int frame = 0; frame < frames; ++frame) input[frame] = 0.5f * (left[frame] + right[frame]);
    std::fill_n(input + frames, padding, 0.0f);
  } else {
    for (int input = 0; input < inputsPerInstance_; ++input)
      fill(instance.audioInput(static_cast<std::size_t>(input)), io.channel(input));
  }
  feedSideChain(0, key, frames, runLength);
  instance.run(runLength);
  for (int output = 0; output < outputsPerInstance_; ++output)
    std::memcpy(io.channel(output), instance.audioOutput(static_cast<std::size_t>(output)), bytes);
}

void Lv2Processor::process(AudioBlock io, ConstAudioBlock key, std::int64_t /*startFrame*/) noexcept {
  const PluginCall call(callLabel_);
  for (int done = 0; done < io.frames();) {
    const int frames = std::min(runFrames_, io.frames() - done);
    runPiece(io.slice(done, frames), key.channels() ? key.slice(done, frames) : key, frames);
    done += frames;
  }
  if (changedLatencyFrames_ < 0 && description_.latencyPort) {
    const int reported = reportedLatencyFrames();
    if (reported != latencyFrames_) changedLatencyFrames_ = reported;
  }
}

}  // namespace mixdown::plugins
