#pragma once
// The `gain` processor: a gain in dB; automated, its linear gain ramps per
// sample between stride points (see automated_processor.h).

#include "mixdown/dsp/linear_ramp.h"
#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

class GainProcessor final : public Processor {
public:
  struct Params {
    double gainDb = 0.0;  // -144 .. +24
  };
  explicit GainProcessor(const Params& params) : params_(params) { reset(); }

  void prepare(const ProcessSpec&) override { reset(); }
  void reset() noexcept override;
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;

  const Params& params() const noexcept { return params_; }
  /** The linear gain moves to target's over rampFrames frames (at once when <= 0). */
  void retarget(const Params& target, int rampFrames) noexcept;

private:
  Params params_;
  LinearRamp gain_{1.0};
};

}  // namespace mixdown::dsp
