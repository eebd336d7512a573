#include "mixdown/dsp/limiter.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace mixdown::dsp {

namespace {

constexpr double kDbPerNeper = 20.0 / std::numbers::ln10;  // 20 log10(x) = kDbPerNeper ln(x)

double dbToAmplitude(double db) { return std::pow(10.0, db / 20.0); }

/** The reduction (units) that brings peak down to targetAmplitude: 20 log10(peak / target) dB, or 0. */
std::int64_t requiredUnits(float peak, double targetAmplitude) noexcept {
  if (static_cast<double>(peak) <= targetAmplitude) return 0;  // NaN falls through to the maximum
  return LookaheadEnvelope::toUnits(kDbPerNeper * std::log(static_cast<double>(peak) / targetAmplitude));
}

/** Multiplies every channel's frame i by 10^(-reductionDb[i] / 20); frames without reduction stay bit-exact. */
void applyReduction(AudioBlock io, const double* reductionDb) noexcept {
  for (int frame = 0; frame < io.frames(); ++frame) {
    if (reductionDb[frame] == 0.0) continue;
    const double gain = std::exp(-reductionDb[frame] / kDbPerNeper);
    for (int channel = 0; channel < io.channels(); ++channel) {
      float& sample = io.channel(channel)[frame];
      sample = static_cast<float>(static_cast<double>(sample) * gain);
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// LookaheadEnvelope

void LookaheadEnvelope::prepare(int lookaheadFrames, int holdBeforeFrames, double releaseCoefficient) {
  lookahead_ = lookaheadFrames;
  window_ = lookaheadFrames + holdBeforeFrames + 1;
  releaseCoefficient_ = releaseCoefficient;
  // Two boxes whose lengths add up to lookahead + 2 average lookahead + 1 frames with triangular weights.
  const int lengthFirst = lookaheadFrames / 2 + 1;
  const int lengthSecond = lookaheadFrames + 2 - lengthFirst;
  dequeFrames_.assign(static_cast<size_t>(window_ + 1), 0);
  dequeValues_.assign(static_cast<size_t>(window_ + 1), 0);
  boxFirst_.assign(static_cast<size_t>(lengthFirst), 0);
  boxSecond_.assign(static_cast<size_t>(lengthSecond), 0);
  dbPerWeightedUnit_ = 1.0 / (static_cast<double>(lengthFirst) * static_cast<double>(lengthSecond) * kUnitsPerDb);
  reset();
}

void LookaheadEnvelope::reset() noexcept {
  std::fill(boxFirst_.begin(), boxFirst_.end(), 0);
  std::fill(boxSecond_.begin(), boxSecond_.end(), 0);
  frame_ = 0;
  releasedUnits_ = 0.0;
  sumFirst_ = 0;
  sumSecond_ = 0;
  dequeHead_ = 0;
  dequeSize_ = 0;
  positionFirst_ = 0;
  positionSecond_ = 0;
}

std::int64_t LookaheadEnvelope::toUnits(double reductionDb) noexcept {
  if (!(reductionDb < kMaxReductionDb)) return static_cast<std::int64_t>(kMaxReductionDb * kUnitsPerDb);
  if (reductionDb <= 0.0) return 0;
  return static_cast<std::int64_t>(std::ceil(reductionDb * kUnitsPerDb));
}

double LookaheadEnvelope::push(std::int64_t requiredUnits) noexcept {
  // Sliding maximum over frames [frame_ - window_ + 1, frame_] (Lemire's monotonic deque).
  const int capacity = static_cast<int>(dequeFrames_.size());
  while (dequeSize_ > 0 && dequeFrames_[static_cast<size_t>(dequeHead_)] <= frame_ - window_) {
    if (++dequeHead_ == capacity) dequeHead_ = 0;
    --dequeSize_;
  }
  while (dequeSize_ > 0) {
    int back = dequeHead_ + dequeSize_ - 1;
    if (back >= capacity) back -= capacity;
    if (dequeValues_[static_cast<size_t>(back)] > requiredUnits) break;
    --dequeSize_;
  }
  int tail = dequeHead_ + dequeSize_;
  if (tail >= capacity) tail -= capacity;
  dequeFrames_[static_cast<size_t>(tail)] = frame_;
  dequeValues_[static_cast<size_t>(tail)] = requiredUnits;
  ++dequeSize_;
  ++frame_;
  const std::int64_t held = dequeValues_[static_cast<size_t>(dequeHead_)];

  // Exponential release, never below what the window holds. Rounding to the nearest unit keeps the
  // time constant unbiased and never drops below held (an integer); below half a unit it is 0.
  releasedUnits_ = std::max(static_cast<double>(held), releasedUnits_ * releaseCoefficient_);
  if (releasedUnits_ < 0.5) releasedUnits_ = 0.0;
  const auto released = static_cast<std::int64_t>(std::llround(releasedUnits_));

  // Two running box sums: exact in integers.
  auto& first = boxFirst_[static_cast<size_t>(positionFirst_)];
  sumFirst_ += released - first;
  first = released;
  if (++positionFirst_ == static_cast<int>(boxFirst_.size())) positionFirst_ = 0;
  auto& second = boxSecond_[static_cast<size_t>(positionSecond_)];
  sumSecond_ += sumFirst_ - second;
  second = sumFirst_;
  if (++positionSecond_ == static_cast<int>(boxSecond_.size())) positionSecond_ = 0;

  return sumSecond_ == 0 ? 0.0 : static_cast<double>(sumSecond_) * dbPerWeightedUnit_;
}

// ---------------------------------------------------------------------------------------------
// LimiterProcessor

int LimiterProcessor::detectorOversampling(double sampleRateHz) noexcept {
  return 2 * TruePeakMeter::standardOversampling(sampleRateHz);
}

void LimiterProcessor::prepare(const ProcessSpec& spec) {
  spec_ = spec;
  const auto channels = static_cast<size_t>(spec.channels);
  const int lookaheadFrames = static_cast<int>(std::lround(params_.lookaheadMs * 1e-3 * spec.sampleRate));
  const double releaseCoefficient = std::exp(-1.0 / (params_.releaseMs * 1e-3 * spec.sampleRate));

  inputMeters_.clear();
  outputMeters_.clear();
  if (params_.truePeak) {
    // Per channel: an accurate Kaiser interpolator at twice BS.1770-4's rate, and a Hann-windowed
    // one of BS.1770-4's length (48 oversampled taps) at its rate, aligned to the first.
    const TruePeakMeter meter(detectorOversampling(spec.sampleRate), kInterpolatorTapsPerPhase);
    const int standardFactor = TruePeakMeter::standardOversampling(spec.sampleRate);
    for (size_t channel = 0; channel < channels; ++channel) {
      inputMeters_.push_back(meter);
      if (standardFactor > 1)
        inputMeters_.emplace_back(standardFactor, kStandardFilterTaps / standardFactor, TruePeakWindow::Hann,
                                  meter.latencyFrames());
    }
    outputMeters_ = inputMeters_;
    // An interval's peak lies between two frames: hold one frame before so both ends get its reduction.
    inputEnvelope_.prepare(lookaheadFrames, 1, releaseCoefficient);
    outputEnvelope_.prepare(2 * meter.latencyFrames(), 1, 0.0);
    inputDelay_ = DelayLine(spec.channels, meter.latencyFrames() + inputEnvelope_.lookaheadFrames());
    outputDelay_ = DelayLine(spec.channels, meter.latencyFrames() + outputEnvelope_.lookaheadFrames());
    targetAmplitude_ = dbToAmplitude(params_.ceilingDb - kTruePeakMarginDb);
    latencyFrames_ = inputDelay_.delayFrames() + outputDelay_.delayFrames();
  } else {
    inputEnvelope_.prepare(lookaheadFrames, 0, releaseCoefficient);
    inputDelay_ = DelayLine(spec.channels, inputEnvelope_.lookaheadFrames());
    outputDelay_ = DelayLine();
    targetAmplitude_ = dbToAmplitude(params_.ceilingDb);
    latencyFrames_ = inputDelay_.delayFrames();
  }
  ceilingAmplitude_ = static_cast<float>(dbToAmplitude(params_.ceilingDb));
  if (static_cast<double>(ceilingAmplitude_) > dbToAmplitude(params_.ceilingDb))
    ceilingAmplitude_ = std::nextafter(ceilingAmplitude_, 0.0f);

  const auto blockFrames = static_cast<size_t>(std::max(spec.maxBlockFrames, 1));
  peaks_.assign(blockFrames, 0.0f);
  stageOneReductionDb_.assign(blockFrames, 0.0);
  stageTwoReductionDb_.assign(blockFrames, 0.0);
  pendingReductionDb_.assign(static_cast<size_t>(outputDelay_.delayFrames()), 0.0);
  reset();
}

void LimiterProcessor::reset() noexcept {
  for (auto& meter : inputMeters_) meter.reset();
  for (auto& meter : outputMeters_) meter.reset();
  inputEnvelope_.reset();
  outputEnvelope_.reset();
  inputDelay_.reset();
  outputDelay_.reset();
  std::fill(pendingReductionDb_.begin(), pendingReductionDb_.end(), 0.0);
  pendingPosition_ = 0;
  maxGainReductionDb_ = 0.0;
}

void LimiterProcessor::process(AudioBlock io, ConstAudioBlock, std::int64_t) noexcept {
  const AudioBlock channels = io.withChannels(std::min(io.channels(), spec_.channels));
  const int chunkFrames = static_cast<int>(peaks_.size());  // 0 before prepare()
  if (chunkFrames == 0) return;
  for (int first = 0; first < io.frames(); first += chunkFrames)
    processChunk(channels.slice(first, std::min(chunkFrames, io.frames() - first)));
}

void LimiterProcessor::measurePeaks(AudioBlock io, std::vector<TruePeakMeter>& meters) noexcept {
  const size_t metersPerChannel = meters.size() / static_cast<size_t>(spec_.channels);
  // Only peaks above the target matter; a float threshold at or below the target keeps that exact.
  auto threshold = static_cast<float>(targetAmplitude_);
  if (static_cast<double>(threshold) > targetAmplitude_) threshold = std::nextafter(threshold, 0.0f);
  std::fill_n(peaks_.begin(), io.frames(), 0.0f);
  for (size_t meter = 0; meter < metersPerChannel * static_cast<size_t>(io.channels()); ++meter)
    meters[meter].processMaxAbove(io.channel(static_cast<int>(meter / metersPerChannel)), peaks_.data(), io.frames(),
                                  threshold);
}

void LimiterProcessor::processChunk(AudioBlock io) noexcept {
  const int frames = io.frames();
  if (frames == 0 || io.channels() == 0) return;

  // Stage 1: the reduction each input frame needs, ahead of the delayed signal.
  if (params_.truePeak) {
    measurePeaks(io, inputMeters_);
  } else {
    float* peaks = peaks_.data();
    std::fill_n(peaks, frames, 0.0f);
    for (int channel = 0; channel < io.channels(); ++channel) {
      const float* samples = io.channel(channel);
      for (int frame = 0; frame < frames; ++frame) peaks[frame] = std::max(peaks[frame], std::abs(samples[frame]));
    }
  }
  for (int frame = 0; frame < frames; ++frame) {
    const auto index = static_cast<size_t>(frame);
    stageOneReductionDb_[index] = inputEnvelope_.push(requiredUnits(peaks_[index], targetAmplitude_));
  }
  inputDelay_.process(io);
  applyReduction(io, stageOneReductionDb_.data());

  if (params_.truePeak) {
    // Stage 2: whatever true peak stage 1's gain changes left above the target.
    measurePeaks(io, outputMeters_);
    for (int frame = 0; frame < frames; ++frame) {
      const auto index = static_cast<size_t>(frame);
      stageTwoReductionDb_[index] = outputEnvelope_.push(requiredUnits(peaks_[index], targetAmplitude_));
    }
    outputDelay_.process(io);
    applyReduction(io, stageTwoReductionDb_.data());
    // Total reduction of each output frame: its stage 1 reduction, delayed like the audio, plus stage 2's.
    const auto pendingFrames = static_cast<int>(pendingReductionDb_.size());
    for (int frame = 0; frame < frames; ++frame) {
      double& pending = pendingReductionDb_[static_cast<size_t>(pendingPosition_)];
      maxGainReductionDb_ = std::max(maxGainReductionDb_, pending + stageTwoReductionDb_[static_cast<size_t>(frame)]);
      pending = stageOneReductionDb_[static_cast<size_t>(frame)];
      if (++pendingPosition_ == pendingFrames) pendingPosition_ = 0;
    }
  } else {
    for (int frame = 0; frame < frames; ++frame)
      maxGainReductionDb_ = std::max(maxGainReductionDb_, stageOneReductionDb_[static_cast<size_t>(frame)]);
  }

  // Sample peaks are bounded exactly; this only ever removes rounding.
  const float ceiling = ceilingAmplitude_;
  for (int channel = 0; channel < io.channels(); ++channel) {
    float* samples = io.channel(channel);
    for (int frame = 0; frame < frames; ++frame) samples[frame] = std::clamp(samples[frame], -ceiling, ceiling);
  }
}

}  // namespace mixdown::dsp
