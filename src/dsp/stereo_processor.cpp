#include "mixdown/dsp/stereo_processor.h"

#include "mixdown/dsp/pan.h"

namespace mixdown::dsp {

void StereoProcessor::process(AudioBlock io, ConstAudioBlock, std::int64_t) noexcept {
  ChannelArray left = io.array(params_.swap ? 1 : 0);
  ChannelArray right = io.array(params_.swap ? 0 : 1);
  const StereoGains balance = balanceGains(params_.balance);
  // L' = M + w S, R' = M - w S with M = (L + R) / 2, S = (L - R) / 2.
  const auto sameSide = static_cast<float>((1.0 + params_.width) / 2.0);
  const auto otherSide = static_cast<float>((1.0 - params_.width) / 2.0);
  const auto leftGain = static_cast<float>(balance.left);
  const auto rightGain = static_cast<float>(balance.right);
  for (int frame = 0; frame < io.frames(); ++frame) {
    const float inLeft = left[frame];
    const float inRight = right[frame];
    io.channel(0)[frame] = (sameSide * inLeft + otherSide * inRight) * leftGain;
    io.channel(1)[frame] = (otherSide * inLeft + sameSide * inRight) * rightGain;
  }
}

}  // namespace mixdown::dsp
