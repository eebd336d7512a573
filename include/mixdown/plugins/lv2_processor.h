#pragma once
// An LV2 plugin as an insert processor. A plugin with one audio input and
// output runs one instance per channel (a stereo strip gets two); one with
// two inputs and outputs runs one instance, making a mono strip stereo; so
// does a 1-in-2-out plugin, which on a stereo strip is fed the mid
// (L + R) / 2 (a mono strip's copied channel gives its signal exactly, as
// (x + x) / 2 == x in floating point). prepare() instantiates,
// activates and runs one silent block, then reads the latency the plugin
// reports; reset() deactivates and activates again. process() copies the
// strip's channels into the plugin's buffers, runs it in pieces of at most
// its run length (padding a short last piece with silence for a plugin
// that needs fixed lengths) and copies the outputs back: no allocation, no
// lock. Sidechain inputs (lv2:isSideChain, or a pg:sideChainOf port group)
// get the insert's key, aligned by the graph like every key: a key channel
// per sidechain input (a mono key feeds every one, a stereo key's mid feeds
// a single one; an instance per channel takes the key channel of its own),
// highpassed first when the sidechain asks; silence without a key. Control ports can be automated (dsp/automated_processor.h); they
// take a new value at once, at the stride boundaries.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mixdown/dsp/biquad.h"
#include "mixdown/dsp/processor.h"
#include "mixdown/plugins/plugin_description.h"
#include "mixdown/plugins/plugin_log.h"

namespace mixdown::plugins {

class Lv2Instance;

/** What an lv2 insert asks for. */
struct Lv2InsertSettings {
  std::string uri;
  std::string pointer;  // the insert's JSON pointer, for messages
  std::vector<std::pair<std::string, double>> controls;  // control input symbol -> value in the port's unit
  std::optional<double> keyHighpassHz;  // the sidechain's highpass (12 dB/oct), on the key before the plugin
};

class Lv2Processor final : public Processor {
public:
  /** The values of the settings' controls, in their order. */
  struct Params {
    std::vector<double> controls;
  };

  /**
   * Reads the plugin's description; throws std::runtime_error naming the
   * insert's pointer when it is not installed, cannot be hosted or a
   * control symbol is not one of its control inputs.
   */
  explicit Lv2Processor(Lv2InsertSettings settings);
  ~Lv2Processor() override;

  void prepare(const ProcessSpec& spec) override;
  void reset() noexcept override;
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;
  ProcessorProperties properties(int inputChannels) const noexcept override;
  /** Its latency port reporting another latency than after prepare(), at any block end since. */
  std::optional<std::string> renderProblem() const override;

  const Params& params() const noexcept { return params_; }
  /** Every control takes target's value at once (control ports have no ramp). */
  void retarget(const Params& target, int rampFrames) noexcept;

  const PluginDescription& description() const noexcept { return description_; }
  /** The latency the plugin reports now, read from its latency port (0 without one; after prepare()). */
  int reportedLatencyFrames() const noexcept;
  /** Frames of each run() (after prepare()). */
  int runFrames() const noexcept { return runFrames_; }

private:
  void applyControls() noexcept;
  void runPiece(AudioBlock io, ConstAudioBlock key, int frames) noexcept;
  /** Fills instance's sidechain inputs from key (frames of it, then padding zeros up to runLength). */
  void feedSideChain(std::size_t instanceIndex, ConstAudioBlock key, int frames, int runLength) noexcept;

  Lv2InsertSettings settings_;
  PluginDescription description_;
  std::vector<std::uint32_t> controlPorts_;  // port index of each of settings_.controls
  Params params_;
  std::string callLabel_;  // "POINTER (plugin name)": its messages and plugins/plugin_activity.h name it so
  PluginLog log_;
  std::vector<std::unique_ptr<Lv2Instance>> instances_;
  int inputsPerInstance_ = 1;
  int outputsPerInstance_ = 1;
  int sideChainsPerInstance_ = 0;
  std::vector<dsp::Biquad> keyFilters_;  // one per sidechain input of every instance (its channel 0), when highpassed
  int runFrames_ = 0;
  bool fixedLength_ = false;
  int latencyFrames_ = 0;
  int changedLatencyFrames_ = -1;  // the first other latency reported after prepare(), -1 while none
};

}  // namespace mixdown::plugins
