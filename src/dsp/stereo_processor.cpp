#include "mixdown/dsp/stereo_processor.h"

#include "mixdown/dsp/pan.h"

namespace mixdown::dsp {

std::array<double, 4> StereoProcessor::factors() const noexcept {
  const StereoGains balance = balanceGains(params_.balance);
  return {(1.0 + params_.width) / 2.0, (1.0 - params_.width) / 2.0, balance.left, balance.right};
}

void StereoProcessor::reset() noexcept {
  const auto values = factors();
  for (size_t index = 0; index < ramps_.size(); ++index) ramps_[index].snap(values[index]);
}

void StereoProcessor::retarget(const Params& target, int rampFrames) noexcept {
  params_.width = target.width;
  params_.balance = target.balance;
  const auto values = factors();
  for (size_t index = 0; index < ramps_.size(); ++index) ramps_[index].rampTo(values[index], rampFrames);
}

void StereoProcessor::process(AudioBlock io, ConstAudioBlock, std::int64_t) noexcept {
  ChannelArray left = io.array(params_.swap ? 1 : 0);
  ChannelArray right = io.array(params_.swap ? 0 : 1);
  // L' = M + w S, R' = M - w S with M = (L + R) / 2, S = (L - R) / 2. The
  // ramps share one length (retarget moves all four), so one tells for all.
  float sameSide = 0.0f, otherSide = 0.0f, leftGain = 0.0f, rightGain = 0.0f;
  bool fetch = true;  // the factors may differ from the last frame's
  for (int frame = 0; frame < io.frames(); ++frame) {
    if (fetch) {
      fetch = ramps_[0].isRamping();
      sameSide = static_cast<float>(ramps_[0].next());
      otherSide = static_cast<float>(ramps_[1].next());
      leftGain = static_cast<float>(ramps_[2].next());
      rightGain = static_cast<float>(ramps_[3].next());
    }
    const float inLeft = left[frame];
    const float inRight = right[frame];
    io.channel(0)[frame] = (sameSide * inLeft + otherSide * inRight) * leftGain;
    io.channel(1)[frame] = (otherSide * inLeft + sameSide * inRight) * rightGain;
  }
}

}  // namespace mixdown::dsp
