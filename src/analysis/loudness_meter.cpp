#include "mixdown/analysis/loudness_meter.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "mixdown/analysis/k_weighting.h"
#include "mixdown/audio/decibels.h"

namespace mixdown::analysis {

namespace {

constexpr int kMaxChannels = 64;
constexpr int kMaxSampleRateHz = 2822400;
constexpr int kSubBlocksPerSecond = 10;  // 100 ms


/** loudnessOfEnergy, or null for silence. */
std::optional<double> loudnessOrNull(double energy) noexcept {
  if (!(energy > 0.0)) return std::nullopt;
  return loudnessOfEnergy(energy);
}

// Oversampled taps of the true-peak interpolator, as BS.1770-4's example (12 per phase at 4x).
constexpr int kTruePeakFilterTaps = 48;

/** BS.1770-4's weight of channel of a programme of channels (its default map); 0: not counted. */
double channelWeight(int channel, int channels) noexcept {
  constexpr double kSurround = 1.41;
  switch (channels) {
    case 1: case 2: case 3: return 1.0;  // M; L R; L R C
    case 4: return channel < 2 ? 1.0 : kSurround;  // L R Ls Rs
    case 5: return channel < 3 ? 1.0 : kSurround;  // L R C Ls Rs
    default: {
      constexpr double kSixChannels[] = {1.0, 1.0, 1.0, 0.0, kSurround, kSurround};  // L R C LFE Ls Rs
      return channel < 6 ? kSixChannels[channel] : 0.0;
    }
  }
}

/** sampleRateHz, once channels and it are within the meter's limits (before anything is computed from them). */
int checkedRate(int channels, int sampleRateHz) {
  if (channels < 1 || channels > kMaxChannels || sampleRateHz < LoudnessMeter::kStepsPerSecond ||
      sampleRateHz > kMaxSampleRateHz) {
    throw std::invalid_argument("cannot measure loudness of " + std::to_string(channels) + " channels at " +
                                std::to_string(sampleRateHz) + " Hz");
  }
  return sampleRateHz;
}

}  // namespace

LoudnessMeter::LoudnessMeter(int channels, int sampleRateHz, Figures figures)
    : channels_(channels), sampleRateHz_(checkedRate(channels, sampleRateHz)),
      stepFrames_(sampleRateHz_ / kStepsPerSecond),
      subBlockFrames_((sampleRateHz_ + kSubBlocksPerSecond / 2) / kSubBlocksPerSecond), figures_(figures),
      programme_(subBlockFrames_, figures == Figures::All) {
  for (int channel = 0; channel < channels; ++channel) {
    const double weight = channelWeight(channel, channels);
    if (weight > 0.0) signals_.push_back({channel, weight});
  }
  if (channels == 2 && figures == Figures::All) {
    signals_.push_back({-1, 2.0});
    foldDown_.emplace(subBlockFrames_, false);
  }
  const auto sections = kWeightingSections(sampleRateHz);
  for (size_t first = 0; first < signals_.size(); first += dsp::kLanes) {
    const int lanes = static_cast<int>(std::min<size_t>(dsp::kLanes, signals_.size() - first));
    dsp::BiquadCascadeLanes& cascade = kWeighting_.emplace_back();
    cascade.prepare(lanes, static_cast<int>(sections.size()));
    for (int lane = 0; lane < lanes; ++lane)
      for (size_t section = 0; section < sections.size(); ++section)
        cascade.setCoefficients(lane, static_cast<int>(section), sections[section]);
  }
  filtered_.resize(signals_.size() * static_cast<size_t>(stepFrames_));
  segmentSquares_.assign(signals_.size(), SumOfSquares{});
  stepSquares_.assign(signals_.size(), 0.0);
  subBlockSquares_.assign(signals_.size(), 0.0);
  if (figures == Figures::All) {
    // True peak as BS.1770-4 Annex 2 asks: 4x below 96 kHz (2x below 192 kHz) through a
    // 48-tap Hann-windowed interpolator, as its example filter.
    const int oversampling = dsp::TruePeakMeter::standardOversampling(sampleRateHz);
    for (int channel = 0; channel < channels; ++channel) {
      if (oversampling == 1) truePeakMeters_.emplace_back();
      else truePeakMeters_.emplace_back(oversampling, kTruePeakFilterTaps / oversampling, dsp::TruePeakWindow::Hann);
    }
    peaks_.resize(static_cast<std::size_t>(stepFrames_));
  }
  stepEnergies_.assign(kShortTermSteps, 0.0);
}

void LoudnessMeter::add(ConstAudioBlock block) {
  // Chunks end on step and 100 ms boundaries counted from the first frame, so the windows
  // and blocks hold the same frames however the input is split.
  for (int first = 0; first < block.frames();) {
    const int frames = std::min({stepFrames_ - framesInStep_, subBlockFrames_ - framesInSubBlock_, block.frames() - first});
    addChunk(block.slice(first, frames));
    first += frames;
  }
}

void LoudnessMeter::addChunk(ConstAudioBlock chunk) {
  const int frames = chunk.frames();
  // K-weighting, dsp::kLanes signals at a time, in a copy.
  for (size_t signal = 0; signal < signals_.size(); ++signal) {
    float* target = filtered_.data() + signal * static_cast<size_t>(stepFrames_);
    const int channel = signals_[signal].channel;
    if (channel >= 0) {
      std::copy_n(chunk.channel(channel), frames, target);
    } else {
      const float* left = chunk.channel(0);
      const float* right = chunk.channel(1);
      for (int frame = 0; frame < frames; ++frame) target[frame] = 0.5f * (left[frame] + right[frame]);
    }
  }
  for (size_t group = 0; group < kWeighting_.size(); ++group) {
    float* lanes[dsp::kLanes] = {};
    for (int lane = 0; lane < kWeighting_[group].lanes(); ++lane)
      lanes[lane] = filtered_.data() + (group * dsp::kLanes + static_cast<size_t>(lane)) * static_cast<size_t>(stepFrames_);
    kWeighting_[group].process(lanes, frames);
  }
  for (size_t signal = 0; signal < signals_.size(); ++signal)
    segmentSquares_[signal].add(filtered_.data() + signal * static_cast<size_t>(stepFrames_), frames);
  // Only the largest true peak is reported: where the filter's window cannot rise above the largest
  // so far, the meter skips the interpolation (processMaxAbove), which leaves that largest exact.
  for (std::size_t channel = 0; channel < truePeakMeters_.size(); ++channel) {
    std::fill(peaks_.begin(), peaks_.begin() + frames, 0.0f);
    truePeakMeters_[channel].processMaxAbove(chunk.channel(static_cast<int>(channel)), peaks_.data(), frames, truePeak_);
    truePeak_ = std::max(truePeak_, *std::max_element(peaks_.begin(), peaks_.begin() + frames));
  }
  frames_ += frames;
  framesInStep_ += frames;
  framesInSubBlock_ += frames;
  if (framesInStep_ == stepFrames_ || framesInSubBlock_ == subBlockFrames_) completeSegment();
  if (framesInStep_ == stepFrames_) completeStep();
  if (framesInSubBlock_ == subBlockFrames_) completeSubBlock();
}

void LoudnessMeter::completeSegment() {
  for (size_t signal = 0; signal < signals_.size(); ++signal) {
    const double squares = segmentSquares_[signal].total();
    stepSquares_[signal] += squares;
    subBlockSquares_[signal] += squares;
    segmentSquares_[signal].reset();
  }
}

void LoudnessMeter::completeSubBlock() {
  double programme = 0.0, foldDown = 0.0;
  for (size_t signal = 0; signal < signals_.size(); ++signal) {
    const double weighted = signals_[signal].weight * subBlockSquares_[signal];
    (signals_[signal].channel >= 0 ? programme : foldDown) += weighted;
    subBlockSquares_[signal] = 0.0;
  }
  framesInSubBlock_ = 0;  // before the gating's allocation, which may throw
  programme_.addSubBlock(programme);
  if (foldDown_) foldDown_->addSubBlock(foldDown);
}

void LoudnessMeter::completeStep() {
  double energy = 0.0;
  for (size_t signal = 0; signal < signals_.size(); ++signal) {
    if (signals_[signal].channel >= 0) energy += signals_[signal].weight * stepSquares_[signal];
    stepSquares_[signal] = 0.0;
  }
  framesInStep_ = 0;
  if (figures_ == Figures::IntegratedOnly) return;
  stepEnergies_[static_cast<std::size_t>(steps_ % kShortTermSteps)] = energy / stepFrames_;
  ++steps_;
  if (steps_ >= kMomentarySteps) maxMomentaryEnergy_ = std::max(maxMomentaryEnergy_, windowEnergy(kMomentarySteps));
  if (steps_ >= kShortTermSteps) maxShortTermEnergy_ = std::max(maxShortTermEnergy_, windowEnergy(kShortTermSteps));
  if (historyEvery_ > 0 && steps_ % historyEvery_ == 0)
    history_.push_back({static_cast<double>(steps_) / kStepsPerSecond, momentaryLufs(), shortTermLufs()});
}

double LoudnessMeter::windowEnergy(int stepCount) const noexcept {
  double sum = 0.0;
  for (std::int64_t step = steps_ - stepCount; step < steps_; ++step) {
    sum += stepEnergies_[static_cast<std::size_t>(step % kShortTermSteps)];
  }
  return sum / stepCount;
}

std::optional<double> LoudnessMeter::momentaryLufs() const {
  if (steps_ < kMomentarySteps) return std::nullopt;
  return loudnessOrNull(windowEnergy(kMomentarySteps));
}

std::optional<double> LoudnessMeter::shortTermLufs() const {
  if (steps_ < kShortTermSteps) return std::nullopt;
  return loudnessOrNull(windowEnergy(kShortTermSteps));
}

LoudnessMeasurement LoudnessMeter::result() const {
  LoudnessMeasurement measured;
  measured.integratedLufs = programme_.integratedLufs();
  if (figures_ == Figures::IntegratedOnly) return measured;
  if (measured.integratedLufs && steps_ >= kShortTermSteps) measured.loudnessRangeLu = programme_.loudnessRangeLu();
  if (steps_ >= kMomentarySteps) measured.maxMomentaryLufs = loudnessOrNull(maxMomentaryEnergy_);
  if (steps_ >= kShortTermSteps) measured.maxShortTermLufs = loudnessOrNull(maxShortTermEnergy_);

  // The last samples' reports wait for latencyFrames() more input: flush copies with silence.
  float truePeak = truePeak_;
  for (dsp::TruePeakMeter meter : truePeakMeters_) {
    std::vector<float> silence(static_cast<std::size_t>(meter.latencyFrames()), 0.0f);
    std::vector<float> peaks(silence.size());
    meter.process(silence.data(), peaks.data(), static_cast<int>(silence.size()));
    for (const float peak : peaks) truePeak = std::max(truePeak, peak);
  }
  if (truePeak > 0.0f) measured.truePeakDbtp = audio::gainToDb(static_cast<double>(truePeak));

  if (foldDown_) measured.monoFoldDownLufs = foldDown_->integratedLufs();
  return measured;
}

}  // namespace mixdown::analysis
