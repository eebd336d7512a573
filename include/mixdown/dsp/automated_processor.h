#pragma once
// Automation of a processor's numeric parameters. AutomatedProcessor<P> wraps
// a processor P and, at every multiple of kAutomationStrideFrames session
// frames, evaluates its automation curves one stride ahead and hands P the
// new parameter values with P::retarget(target, frames until then). P then:
//   - ramps gain-like values (gains, mixes, widths, balances) linearly per
//     sample over those frames (LinearRamp), in the unit it applies them in;
//   - recomputes filter coefficients for the target and interpolates them
//     linearly per sample over those frames;
//   - takes every other value (thresholds, ratios, time constants, decay
//     times) at once, so it changes in steps of one stride.
// Values are exact at every stride boundary, and the process() calls P sees
// never cross one, so the output depends only on session frames: not on the
// engine's block size or thread count. Parameters that fix a latency or a
// structure (lookahead, oversampling, slopes, delay lengths) are not automated.
//
// What P provides is the concept AutomatableProcessor below; each P's
// retarget() says which of its parameters ramp and which step.

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "mixdown/dsp/parameter_curve.h"
#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

inline constexpr int kAutomationStrideFrames = 32;

/**
 * A processor whose parameters can move: its Params in physical units, the
 * current ones, and retarget(target, rampFrames), which never allocates and
 * takes target at once for rampFrames <= 0.
 */
template <class P>
concept AutomatableProcessor = std::derived_from<P, Processor> && requires(P& processor, const typename P::Params& target) {
  { std::as_const(processor).params() } -> std::convertible_to<const typename P::Params&>;
  { processor.retarget(target, 0) } noexcept;
};

/** One automated parameter of Params: its points (seconds, value) and where a value goes in Params. */
template <class Params>
struct AutomatedParameter {
  std::vector<std::pair<double, double>> pointsS;
  CurveShape shape = CurveShape::Linear;
  std::function<void(Params&, double)> apply;
};

template <AutomatableProcessor P>
class AutomatedProcessor final : public Processor {
public:
  using Params = typename P::Params;
  using Parameter = AutomatedParameter<Params>;

  AutomatedProcessor(std::unique_ptr<P> processor, std::vector<Parameter> parameters)
      : processor_(std::move(processor)), parameters_(std::move(parameters)) {}

  void prepare(const ProcessSpec& spec) override {
    processor_->prepare(spec);
    params_ = processor_->params();
    curves_.clear();
    for (const Parameter& parameter : parameters_) curves_.emplace_back(parameter.pointsS, parameter.shape, spec.sampleRate);
    primed_ = false;
  }
  void reset() noexcept override {
    processor_->reset();
    primed_ = false;
  }
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override {
    constexpr std::int64_t stride = kAutomationStrideFrames;
    int done = 0;
    while (done < io.frames()) {
      const std::int64_t frame = startFrame + done;
      const auto intoStride = static_cast<int>(((frame % stride) + stride) % stride);
      const std::int64_t nextBoundary = frame - intoStride + stride;
      if (!primed_) {  // the first frame after reset(): its own values at once, then on to the boundary
        retargetAt(frame, 0);
        retargetAt(nextBoundary, static_cast<int>(nextBoundary - frame));
        primed_ = true;
      } else if (intoStride == 0) {
        retargetAt(nextBoundary, kAutomationStrideFrames);
      }
      const int frames = std::min(io.frames() - done, static_cast<int>(nextBoundary - frame));
      processor_->process(io.slice(done, frames), key.empty() ? ConstAudioBlock() : key.slice(done, frames), frame);
      done += frames;
    }
  }

  ProcessorProperties properties(int inputChannels) const noexcept override { return processor_->properties(inputChannels); }
  const GainReductionMeter* gainReductionMeter() const noexcept override { return processor_->gainReductionMeter(); }
  // No laneBatchOffer(): the lanes compute fixed parameters, so an automated processor never batches.

  const P& processor() const noexcept { return *processor_; }

private:
  /** Sets every parameter's value at frame into params_ and hands them to the processor. */
  void retargetAt(std::int64_t frame, int rampFrames) noexcept {
    for (std::size_t index = 0; index < parameters_.size(); ++index)
      parameters_[index].apply(params_, curves_[index].valueAt(frame));
    processor_->retarget(params_, rampFrames);
  }

  std::unique_ptr<P> processor_;
  std::vector<Parameter> parameters_;
  std::vector<ParameterCurve> curves_;
  Params params_;
  bool primed_ = false;
};

}  // namespace mixdown::dsp
