#pragma once
// The `stereo` processor: channel swap, then mid/side width, then balance.
// Always outputs two channels: a mono input becomes dual mono first.

#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

class StereoProcessor final : public Processor {
public:
  struct Params {
    double width = 1.0;    // 0 (mono) .. 2; side = (L - R) / 2 is scaled by width
    double balance = 0.0;  // -1 .. +1, as balanceGains()
    bool swap = false;     // exchange left and right
  };
  explicit StereoProcessor(const Params& params) : params_(params) {}

  void prepare(const ProcessSpec&) override {}
  void reset() noexcept override {}
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;
  int outputChannels(int) const noexcept override { return 2; }

private:
  Params params_;
};

}  // namespace mixdown::dsp
