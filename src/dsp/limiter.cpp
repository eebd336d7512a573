#include "mixdown/dsp/limiter.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>

#include "mixdown/audio/decibels.h"

namespace mixdown::dsp {

namespace {

constexpr double kDbPerNeper = 20.0 / std::numbers::ln10;  // 20 log10(x) = kDbPerNeper ln(x)

/** The per-frame decay of the reduction for a release time constant of releaseMs. */
double releaseCoefficient(double releaseMs, double sampleRate) noexcept {
  return std::exp(-1.0 / (releaseMs * 1e-3 * sampleRate));
}

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
// CeilingSchedule

void CeilingSchedule::prepare(const std::array<int, kStageCount>& delays, const Ceiling& ceiling) {
  delays_ = delays;
  changes_.assign(static_cast<size_t>(delays[kClamp]) + 1, Change{});
  latest_ = ceiling;
  reset();
}

void CeilingSchedule::reset() noexcept {
  current_.fill(latest_);
  taken_.fill(0);
  made_ = 0;
  frame_ = 0;
}

void CeilingSchedule::change(const Ceiling& ceiling) noexcept {
  if (ceiling.targetAmplitude == latest_.targetAmplitude && ceiling.clampAmplitude == latest_.clampAmplitude) return;
  latest_ = ceiling;
  if (frame_ == 0) {  // no frame has entered since reset(): every stage holds silence, as if prepared with it
    reset();
    return;
  }
  if (made_ > 0 && at(made_ - 1).frame == frame_) {  // no stage has reached that frame yet
    at(made_ - 1).ceiling = ceiling;
    return;
  }
  assert(made_ - taken_[kClamp] < static_cast<std::int64_t>(changes_.size()) && "one change per frame at most");
  at(made_++) = {frame_, ceiling};
}

int CeilingSchedule::steadyFrames(Stage stage, int offset, int frames) noexcept {
  const std::int64_t entered = frame_ + offset - delays_[stage];  // the frame the stage sees at offset
  std::int64_t& taken = taken_[stage];
  while (taken < made_ && at(taken).frame <= entered) current_[stage] = at(taken++).ceiling;
  if (taken == made_) return frames;
  return static_cast<int>(std::min<std::int64_t>(frames, at(taken).frame - entered));
}

double CeilingSchedule::lowestTarget(Stage stage) const noexcept {
  double lowest = current_[stage].targetAmplitude;
  for (std::int64_t index = taken_[stage]; index < made_; ++index)
    lowest = std::min(lowest, at(index).ceiling.targetAmplitude);
  return lowest;
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
  const double release = releaseCoefficient(params_.releaseMs, spec.sampleRate);
  const int recurrenceFrames = static_cast<int>(std::lround(kRecurrenceWindowMs * 1e-3 * spec.sampleRate));

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
    inputEnvelope_.prepare(lookaheadFrames, 1, release, recurrenceFrames);
    outputEnvelope_.prepare(2 * meter.latencyFrames(), 1, 0.0, 0);
    inputDelay_ = DelayLine(spec.channels, meter.latencyFrames() + inputEnvelope_.lookaheadFrames());
    outputDelay_ = DelayLine(spec.channels, meter.latencyFrames() + outputEnvelope_.lookaheadFrames());
    latencyFrames_ = inputDelay_.delayFrames() + outputDelay_.delayFrames();
    // Stage 1's peaks are the meter's latency old, stage 2's also stage 1's delay.
    ceilings_.prepare({meter.latencyFrames(), inputDelay_.delayFrames() + meter.latencyFrames(), latencyFrames_},
                      ceilingOf(params_.ceilingDb));
  } else {
    inputEnvelope_.prepare(lookaheadFrames, 0, release, recurrenceFrames);
    inputDelay_ = DelayLine(spec.channels, inputEnvelope_.lookaheadFrames());
    outputDelay_ = DelayLine();
    latencyFrames_ = inputDelay_.delayFrames();
    ceilings_.prepare({0, 0, latencyFrames_}, ceilingOf(params_.ceilingDb));
  }

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
  ceilings_.reset();
  maxGainReductionDb_ = 0.0;
}

CeilingSchedule::Ceiling LimiterProcessor::ceilingOf(double ceilingDb) const noexcept {
  CeilingSchedule::Ceiling ceiling;
  ceiling.targetAmplitude = audio::dbToGain(params_.truePeak ? ceilingDb - kTruePeakMarginDb : ceilingDb);
  ceiling.clampAmplitude = static_cast<float>(audio::dbToGain(ceilingDb));
  if (static_cast<double>(ceiling.clampAmplitude) > audio::dbToGain(ceilingDb))
    ceiling.clampAmplitude = std::nextafter(ceiling.clampAmplitude, 0.0f);
  return ceiling;
}

void LimiterProcessor::retarget(const Params& target, int) noexcept {
  assert(target.truePeak == params_.truePeak && target.lookaheadMs == params_.lookaheadMs &&
         "true-peak mode and lookahead stay as prepared");
  params_.ceilingDb = target.ceilingDb;
  params_.releaseMs = target.releaseMs;
  if (peaks_.empty()) return;  // not prepared: prepare() reads params_
  ceilings_.change(ceilingOf(params_.ceilingDb));
  inputEnvelope_.setReleaseCoefficient(releaseCoefficient(params_.releaseMs, spec_.sampleRate));
}

void LimiterProcessor::process(AudioBlock io, ConstAudioBlock, std::int64_t) noexcept {
  const AudioBlock channels = io.withChannels(std::min(io.channels(), spec_.channels));
  const int chunkFrames = static_cast<int>(peaks_.size());  // 0 before prepare()
  if (chunkFrames == 0) return;
  for (int first = 0; first < io.frames(); first += chunkFrames)
    processChunk(channels.slice(first, std::min(chunkFrames, io.frames() - first)));
}

void LimiterProcessor::measurePeaks(AudioBlock io, std::vector<TruePeakMeter>& meters,
                                    double targetAmplitude) noexcept {
  const size_t metersPerChannel = meters.size() / static_cast<size_t>(spec_.channels);
  // Only peaks above the target matter; a float threshold at or below the target keeps that exact.
  auto threshold = static_cast<float>(targetAmplitude);
  if (static_cast<double>(threshold) > targetAmplitude) threshold = std::nextafter(threshold, 0.0f);
  std::fill_n(peaks_.begin(), io.frames(), 0.0f);
  for (size_t meter = 0; meter < metersPerChannel * static_cast<size_t>(io.channels()); ++meter)
    meters[meter].processMaxAbove(io.channel(static_cast<int>(meter / metersPerChannel)), peaks_.data(), io.frames(),
                                  threshold);
}

void LimiterProcessor::pushRequired(LookaheadEnvelope& envelope, CeilingSchedule::Stage stage, double* reductionDb,
                                    int frames) noexcept {
  for (int first = 0; first < frames;) {
    const int last = first + ceilings_.steadyFrames(stage, first, frames - first);
    const double targetAmplitude = ceilings_.current(stage).targetAmplitude;
    for (int frame = first; frame < last; ++frame)
      reductionDb[frame] = envelope.push(requiredUnits(peaks_[static_cast<size_t>(frame)], targetAmplitude));
    first = last;
  }
}

void LimiterProcessor::processChunk(AudioBlock io) noexcept {
  const int frames = io.frames();
  if (frames == 0 || io.channels() == 0) return;

  // Stage 1: the reduction each input frame needs, ahead of the delayed signal.
  if (params_.truePeak) {
    measurePeaks(io, inputMeters_, ceilings_.lowestTarget(CeilingSchedule::kStageOne));
  } else {
    float* peaks = peaks_.data();
    std::fill_n(peaks, frames, 0.0f);
    for (int channel = 0; channel < io.channels(); ++channel) {
      const float* samples = io.channel(channel);
      for (int frame = 0; frame < frames; ++frame) peaks[frame] = std::max(peaks[frame], std::abs(samples[frame]));
    }
  }
  pushRequired(inputEnvelope_, CeilingSchedule::kStageOne, stageOneReductionDb_.data(), frames);
  inputDelay_.process(io);
  applyReduction(io, stageOneReductionDb_.data());

  if (params_.truePeak) {
    // Stage 2: whatever true peak stage 1's gain changes left above the target.
    measurePeaks(io, outputMeters_, ceilings_.lowestTarget(CeilingSchedule::kStageTwo));
    pushRequired(outputEnvelope_, CeilingSchedule::kStageTwo, stageTwoReductionDb_.data(), frames);
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
  for (int first = 0; first < frames;) {
    const int last = first + ceilings_.steadyFrames(CeilingSchedule::kClamp, first, frames - first);
    const float ceiling = ceilings_.current(CeilingSchedule::kClamp).clampAmplitude;
    for (int channel = 0; channel < io.channels(); ++channel) {
      float* samples = io.channel(channel);
      for (int frame = first; frame < last; ++frame) samples[frame] = std::clamp(samples[frame], -ceiling, ceiling);
    }
    first = last;
  }
  ceilings_.advance(frames);
}

}  // namespace mixdown::dsp
