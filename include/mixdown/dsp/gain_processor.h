#pragma once
// The `gain` processor: a static gain in dB.

#include "mixdown/dsp/processor.h"

namespace mixdown::dsp {

class GainProcessor final : public Processor {
public:
  struct Params {
    double gainDb = 0.0;  // -144 .. +24
  };
  explicit GainProcessor(const Params& params) : params_(params) {}

  void prepare(const ProcessSpec&) override {}
  void reset() noexcept override {}
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t startFrame) noexcept override;

private:
  Params params_;
};

}  // namespace mixdown::dsp
