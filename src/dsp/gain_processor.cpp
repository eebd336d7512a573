#include "mixdown/dsp/gain_processor.h"

#include "mixdown/audio/decibels.h"
#include "mixdown/dsp/pan.h"

namespace mixdown::dsp {

void GainProcessor::reset() noexcept { gain_.snap(audio::dbToGain(params_.gainDb)); }

void GainProcessor::retarget(const Params& target, int rampFrames) noexcept {
  params_ = target;
  gain_.rampTo(audio::dbToGain(params_.gainDb), rampFrames);
}

void GainProcessor::process(AudioBlock io, ConstAudioBlock, std::int64_t) noexcept { applyRampedGain(io, gain_); }

}  // namespace mixdown::dsp
