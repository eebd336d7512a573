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
// What P provides:
//   typename P::Params                 its parameters in physical units
//   const Params& params() const       the current ones
//   void retarget(const Params&, int rampFrames) noexcept
//       never allocates; rampFrames <= 0 means at once (no ramp)

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "mixdown/dsp/parameter_curve.h"
#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

inline constexpr int kAutomationStrideFrames = 32;

template <class P>
class AutomatedProcessor final : public Processor {
public:
  using Params = typename P::Params;
  /** One automated parameter: its points (seconds, value) and where the value goes in Params. */
  struct Lane {
    std::vector<std::pair<double, double>> pointsS;
    CurveShape shape = CurveShape::Linear;
    std::function<void(Params&, double)> apply;
  };

  AutomatedProcessor(std::unique_ptr<P> processor, std::vector<Lane> lanes)
      : processor_(std::move(processor)), lanes_(std::move(lanes)) {}

  void prepare(const ProcessSpec& spec) override {
    processor_->prepare(spec);
    params_ = processor_->params();
    curves_.clear();
    for (const Lane& lane : lanes_) curves_.emplace_back(lane.pointsS, lane.shape, spec.sampleRate);
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

  int outputChannels(int inputChannels) const noexcept override { return processor_->outputChannels(inputChannels); }
  int latencyFrames() const noexcept override { return processor_->latencyFrames(); }
  int tailFrames() const noexcept override { return processor_->tailFrames(); }
  int silentGapFrames() const noexcept override { return processor_->silentGapFrames(); }
  double maxGainReductionDb() const noexcept override { return processor_->maxGainReductionDb(); }
  bool reducesGain() const noexcept override { return processor_->reducesGain(); }

  const P& processor() const noexcept { return *processor_; }

private:
  /** Sets every lane's value at frame into params_ and hands them to the processor. */
  void retargetAt(std::int64_t frame, int rampFrames) noexcept {
    for (std::size_t index = 0; index < lanes_.size(); ++index) lanes_[index].apply(params_, curves_[index].valueAt(frame));
    processor_->retarget(params_, rampFrames);
  }

  std::unique_ptr<P> processor_;
  std::vector<Lane> lanes_;
  std::vector<ParameterCurve> curves_;
  Params params_;
  bool primed_ = false;
};

}  // namespace mixdown::dsp
