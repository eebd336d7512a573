#pragma once
// The `stereo` processor: channel swap, then mid/side width, then balance.
// Always outputs two channels: a mono input becomes dual mono first.

#include <array>

#include "mixdown/dsp/linear_ramp.h"
#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

class StereoProcessor final : public Processor {
public:
  struct Params {
    double width = 1.0;    // 0 (mono) .. 2; side = (L - R) / 2 is scaled by width
    double balance = 0.0;  // -1 .. +1, as balanceGains()
    bool swap = false;     // exchange left and right
  };
  explicit StereoProcessor(const Params& params) : params_(params) { reset(); }

  void prepare(const ProcessSpec&) override { reset(); }
  void reset() noexcept override;
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;
  ProcessorProperties properties(int) const noexcept override { return {2}; }

  const Params& params() const noexcept { return params_; }
  /** Width and balance move to target's over rampFrames frames, each matrix factor linearly; swap stays. */
  void retarget(const Params& target, int rampFrames) noexcept;

private:
  /** The four factors of the output matrix for params_, in the order of ramps_. */
  std::array<double, 4> factors() const noexcept;

  Params params_;
  // (1 + width) / 2, (1 - width) / 2, and the balance's left and right gains.
  std::array<LinearRamp, 4> ramps_;
};

}  // namespace mixdown::dsp
