#include "mixdown/analysis/loudness_meter.h"

#include <algorithm>
#include <cmath>
#include <new>
#include <stdexcept>
#include <string>

namespace mixdown::analysis {

namespace {

constexpr unsigned long kStepMs = 1000 / LoudnessMeter::kStepsPerSecond;
// BS.1770-4 eq. (2): L = -0.691 + 10 log10(sum of weighted mean squares).
constexpr double kLoudnessOffsetDb = -0.691;
// libebur128 accepts up to 64 channels and 2822400 Hz.
constexpr int kMaxChannels = 64;
constexpr int kMaxSampleRateHz = 2822400;

double energyOfLoudness(double lufs) noexcept { return std::pow(10.0, (lufs - kLoudnessOffsetDb) / 10.0); }

std::optional<double> loudnessOfEnergy(double energy) noexcept {
  if (!(energy > 0.0)) return std::nullopt;
  return kLoudnessOffsetDb + 10.0 * std::log10(energy);
}

std::optional<double> finiteOrNull(double value) noexcept {
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

// Oversampled taps of the true-peak interpolator, as BS.1770-4's example (12 per phase at 4x).
constexpr int kTruePeakFilterTaps = 48;

void checkLibraryCall(int status) {
  if (status == EBUR128_ERROR_NOMEM) throw std::bad_alloc();
}

}  // namespace

void LoudnessMeter::StateDeleter::operator()(ebur128_state* state) const noexcept { ebur128_destroy(&state); }

LoudnessMeter::LoudnessMeter(int channels, int sampleRateHz, Figures figures)
    : channels_(channels), sampleRateHz_(sampleRateHz), stepFrames_(sampleRateHz / kStepsPerSecond),
      figures_(figures) {
  if (channels < 1 || channels > kMaxChannels || sampleRateHz < kStepsPerSecond || sampleRateHz > kMaxSampleRateHz) {
    throw std::invalid_argument("cannot measure loudness of " + std::to_string(channels) + " channels at " +
                                std::to_string(sampleRateHz) + " Hz");
  }
  const auto rate = static_cast<unsigned long>(sampleRateHz);
  const int mode = figures == Figures::All ? EBUR128_MODE_I | EBUR128_MODE_LRA : EBUR128_MODE_I;
  programme_.reset(ebur128_init(static_cast<unsigned>(channels), rate, mode));
  if (!programme_) throw std::bad_alloc();
  if (channels == 2 && figures == Figures::All) {
    foldDown_.reset(ebur128_init(1, rate, EBUR128_MODE_I));
    if (!foldDown_) throw std::bad_alloc();
    ebur128_set_channel(foldDown_.get(), 0, EBUR128_DUAL_MONO);
    foldDownSamples_.resize(static_cast<std::size_t>(stepFrames_));
  }
  interleaved_.resize(static_cast<std::size_t>(stepFrames_) * static_cast<std::size_t>(channels));
  if (figures == Figures::All) {
    // True peak as BS.1770-4 Annex 2 asks: 4x below 96 kHz (2x below 192 kHz) through a
    // 48-tap Hann-windowed interpolator, as its example filter; faster than libebur128's
    // (which was most of a render's metering time) and of the same class.
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
  // Chunks end on step boundaries counted from the first frame, so the windows
  // are read at the same frames however the input is split.
  for (int first = 0; first < block.frames();) {
    const int frames = std::min(stepFrames_ - framesInStep_, block.frames() - first);
    addChunk(block.slice(first, frames));
    first += frames;
  }
}

void LoudnessMeter::addChunk(ConstAudioBlock chunk) {
  const int frames = chunk.frames();
  for (int channel = 0; channel < channels_; ++channel) {
    const float* samples = chunk.channel(channel);
    for (int frame = 0; frame < frames; ++frame)
      interleaved_[static_cast<std::size_t>(frame * channels_ + channel)] = samples[frame];
  }
  checkLibraryCall(ebur128_add_frames_float(programme_.get(), interleaved_.data(), static_cast<std::size_t>(frames)));
  // Only the largest true peak is reported: where the filter's window cannot rise above the largest
  // so far, the meter skips the interpolation (processMaxAbove), which leaves that largest exact.
  for (std::size_t channel = 0; channel < truePeakMeters_.size(); ++channel) {
    std::fill(peaks_.begin(), peaks_.begin() + frames, 0.0f);
    truePeakMeters_[channel].processMaxAbove(chunk.channel(static_cast<int>(channel)), peaks_.data(), frames, truePeak_);
    truePeak_ = std::max(truePeak_, *std::max_element(peaks_.begin(), peaks_.begin() + frames));
  }
  if (foldDown_) {
    const float* left = chunk.channel(0);
    const float* right = chunk.channel(1);
    for (int frame = 0; frame < frames; ++frame)
      foldDownSamples_[static_cast<std::size_t>(frame)] = 0.5f * (left[frame] + right[frame]);
    checkLibraryCall(
        ebur128_add_frames_float(foldDown_.get(), foldDownSamples_.data(), static_cast<std::size_t>(frames)));
  }
  frames_ += frames;
  framesInStep_ += frames;
  if (framesInStep_ == stepFrames_) completeStep();
}

void LoudnessMeter::completeStep() {
  if (figures_ == Figures::IntegratedOnly) {
    framesInStep_ = 0;
    return;
  }
  // ebur128_loudness_window over kStepMs covers floor(rate * kStepMs / 1000) = stepFrames_ frames.
  double stepLufs = 0.0;
  checkLibraryCall(ebur128_loudness_window(programme_.get(), kStepMs, &stepLufs));
  stepEnergies_[static_cast<std::size_t>(steps_ % kShortTermSteps)] = energyOfLoudness(stepLufs);
  ++steps_;
  framesInStep_ = 0;
  if (steps_ >= kMomentarySteps) maxMomentaryEnergy_ = std::max(maxMomentaryEnergy_, windowEnergy(kMomentarySteps));
  if (steps_ >= kShortTermSteps) maxShortTermEnergy_ = std::max(maxShortTermEnergy_, windowEnergy(kShortTermSteps));
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
  return loudnessOfEnergy(windowEnergy(kMomentarySteps));
}

std::optional<double> LoudnessMeter::shortTermLufs() const {
  if (steps_ < kShortTermSteps) return std::nullopt;
  return loudnessOfEnergy(windowEnergy(kShortTermSteps));
}

LoudnessMeasurement LoudnessMeter::result() const {
  LoudnessMeasurement measured;
  double integrated = 0.0;
  checkLibraryCall(ebur128_loudness_global(programme_.get(), &integrated));
  measured.integratedLufs = finiteOrNull(integrated);
  if (figures_ == Figures::IntegratedOnly) return measured;
  if (measured.integratedLufs && steps_ >= kShortTermSteps) {
    double range = 0.0;
    checkLibraryCall(ebur128_loudness_range(programme_.get(), &range));
    measured.loudnessRangeLu = finiteOrNull(range);
  }
  if (steps_ >= kMomentarySteps) measured.maxMomentaryLufs = loudnessOfEnergy(maxMomentaryEnergy_);
  if (steps_ >= kShortTermSteps) measured.maxShortTermLufs = loudnessOfEnergy(maxShortTermEnergy_);

  // The last samples' reports wait for latencyFrames() more input: flush copies with silence.
  float truePeak = truePeak_;
  for (dsp::TruePeakMeter meter : truePeakMeters_) {
    std::vector<float> silence(static_cast<std::size_t>(meter.latencyFrames()), 0.0f);
    std::vector<float> peaks(silence.size());
    meter.process(silence.data(), peaks.data(), static_cast<int>(silence.size()));
    for (const float peak : peaks) truePeak = std::max(truePeak, peak);
  }
  if (truePeak > 0.0f) measured.truePeakDbtp = 20.0 * std::log10(static_cast<double>(truePeak));

  if (foldDown_) {
    double foldDown = 0.0;
    checkLibraryCall(ebur128_loudness_global(foldDown_.get(), &foldDown));
    measured.monoFoldDownLufs = finiteOrNull(foldDown);
  }
  return measured;
}

}  // namespace mixdown::analysis
