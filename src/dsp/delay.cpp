#include "mixdown/dsp/delay.h"

#include <algorithm>
#include <cmath>

#include "mixdown/audio/decibels.h"

namespace mixdown::dsp {

namespace {

constexpr double kButterworthQ = 0.70710678118654752;
constexpr double kTailFloorDb = -96.0;
// Loop samples below this (-400 dBFS) become 0, so a decaying loop ends in
// silence instead of subnormal numbers.
constexpr float kFlushAmplitude = 1e-20f;

}  // namespace

int DelayProcessor::delayFramesFor(double timeMs, double sampleRateHz) noexcept {
  return std::max(1, static_cast<int>(std::llround(timeMs * sampleRateHz / 1000.0)));
}

int DelayProcessor::audibleRepeats(double feedback) noexcept {
  if (feedback <= 0.0) return 1;
  // feedback^(k - 1) >= 10^(-96/20) for the k-th repeat.
  return 1 + static_cast<int>(std::ceil(kTailFloorDb / audio::gainToDb(feedback)));
}

void DelayProcessor::prepare(const ProcessSpec& spec) {
  delayFrames_ = delayFramesFor(params_.timeMs, spec.sampleRate);
  lines_ = params_.pingPong ? 2 : spec.channels;
  scratchStride_ = std::max(1, std::min(spec.maxBlockFrames, delayFrames_));
  line_.assign(static_cast<size_t>(lines_) * static_cast<size_t>(delayFrames_), 0.0f);
  wet_.assign(static_cast<size_t>(lines_) * static_cast<size_t>(scratchStride_), 0.0f);
  loop_.assign(wet_.size(), 0.0f);
  feedbackValues_.assign(static_cast<size_t>(scratchStride_), 0.0f);
  mixValues_.assign(static_cast<size_t>(scratchStride_), 0.0f);
  sampleRate_ = spec.sampleRate;
  reset();
}

void DelayProcessor::reset() noexcept {
  std::fill(line_.begin(), line_.end(), 0.0f);
  position_ = 0;
  lowcut_.reset();
  highcut_.reset();
  retarget(params_, 0);
}

void DelayProcessor::retarget(const Params& target, int rampFrames) noexcept {
  params_.feedback = target.feedback;
  params_.mix = target.mix;
  feedback_.rampTo(params_.feedback, rampFrames);
  mix_.rampTo(params_.mix, rampFrames);
  if (params_.lowcutHz && target.lowcutHz) {
    params_.lowcutHz = target.lowcutHz;
    lowcutRamp_.rampTo(designRbj(BiquadShape::Highpass, *params_.lowcutHz, kButterworthQ, 0.0, sampleRate_), rampFrames);
    lowcut_.setCoefficients(lowcutRamp_.current());
  }
  if (params_.highcutHz && target.highcutHz) {
    params_.highcutHz = target.highcutHz;
    highcutRamp_.rampTo(designRbj(BiquadShape::Lowpass, *params_.highcutHz, kButterworthQ, 0.0, sampleRate_), rampFrames);
    highcut_.setCoefficients(highcutRamp_.current());
  }
}

int DelayProcessor::tailFrames() const noexcept {
  const double frames = static_cast<double>(delayFrames_) * audibleRepeats(params_.feedback);
  return static_cast<int>(std::min(frames, 1e9));
}

void DelayProcessor::filterLine(Biquad& filter, BiquadCoefficientRamp& ramp, AudioBlock loop) noexcept {
  if (!ramp.isRamping()) {
    filter.process(loop);
    return;
  }
  BiquadCoefficientRamp lineRamp = ramp;
  for (int line = 0; line < loop.channels(); ++line) {  // every line sees the same coefficients
    lineRamp = ramp;
    float* samples = loop.channel(line);
    for (int frame = 0; frame < loop.frames(); ++frame)
      samples[frame] = static_cast<float>(filter.processSample(line, samples[frame], lineRamp.next()));
  }
  ramp = lineRamp;
  filter.setCoefficients(ramp.current());
}

void DelayProcessor::filterLoop(AudioBlock loop) noexcept {
  if (params_.lowcutHz) filterLine(lowcut_, lowcutRamp_, loop);
  if (params_.highcutHz) filterLine(highcut_, highcutRamp_, loop);
}

void DelayProcessor::process(AudioBlock io, ConstAudioBlock, std::int64_t) noexcept {
  int done = 0;
  while (done < io.frames()) {
    const int run = std::min({io.frames() - done, delayFrames_ - position_, scratchStride_});
    processRun(io.slice(done, run), run);
    position_ += run;
    if (position_ == delayFrames_) position_ = 0;
    done += run;
  }
}

void DelayProcessor::processRun(AudioBlock io, int frames) noexcept {
  using Array = Eigen::Map<Eigen::ArrayXf>;
  feedback_.fill(feedbackValues_.data(), frames);
  mix_.fill(mixValues_.data(), frames);
  const ConstChannelArray feedback(feedbackValues_.data(), frames);
  const ConstChannelArray mix(mixValues_.data(), frames);
  AudioBlock wet(wet_.data(), lines_, frames, scratchStride_);
  AudioBlock loop(loop_.data(), lines_, frames, scratchStride_);
  auto lineRun = [&](int line) {
    return Array(line_.data() + static_cast<std::ptrdiff_t>(line) * delayFrames_ + position_, frames);
  };
  for (int line = 0; line < lines_; ++line) wet.array(line) = lineRun(line);

  if (params_.pingPong) {
    const auto inputs = static_cast<float>(io.channels());
    loop.array(0) = io.array(0);
    for (int channel = 1; channel < io.channels(); ++channel) loop.array(0) += io.array(channel);
    loop.array(0) = loop.array(0) / inputs + feedback * wet.array(1);
    loop.array(1) = feedback * wet.array(0);
  } else {
    for (int line = 0; line < lines_; ++line) loop.array(line) = io.array(line) + feedback * wet.array(line);
  }
  filterLoop(loop);
  for (int line = 0; line < lines_; ++line)
    loop.array(line) = (loop.array(line).abs() < kFlushAmplitude).select(0.0f, loop.array(line));
  for (int line = 0; line < lines_; ++line) lineRun(line) = loop.array(line);
  for (int channel = 0; channel < io.channels(); ++channel)
    io.array(channel) = (1.0f - mix) * io.array(channel) + mix * wet.array(channel);
}

}  // namespace mixdown::dsp
