#include "mixdown/dsp/gain_processor.h"

#include "mixdown/dsp/pan.h"

namespace mixdown::dsp {

void GainProcessor::process(AudioBlock io, ConstAudioBlock, std::int64_t) noexcept {
  const auto gain = static_cast<float>(dbToGain(params_.gainDb));
  for (int channel = 0; channel < io.channels(); ++channel) io.array(channel) *= gain;
}

}  // namespace mixdown::dsp
