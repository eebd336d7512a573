#include "mixdown/analysis/spectral_frames.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace mixdown::analysis {

int spectralFrameFramesFor(int sampleRateHz) {
  int frames = 16;
  while (frames * 16 < sampleRateHz) frames *= 2;
  return frames;
}

SpectralFrames::SpectralFrames(int sampleRateHz)
    : sampleRateHz_(sampleRateHz), frameFrames_(spectralFrameFramesFor(sampleRateHz)) {
  if (sampleRateHz < 100 || sampleRateHz > 2822400) throw std::invalid_argument("sample rate out of range");
  const auto frames = static_cast<size_t>(frameFrames_);
  window_.resize(frames);
  double windowPower = 0.0;
  for (size_t n = 0; n < frames; ++n) {
    // Periodic Hann: frames overlapping by half sum to a constant.
    const double value = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(n) / static_cast<double>(frames));
    window_[n] = static_cast<float>(value);
    windowPower += value * value;
  }
  // sum |X_k|^2 over all N bins = N * sum (x w)^2; one-sided bins count twice.
  powerScale_ = 2.0 / (static_cast<double>(frames) * windowPower);
  ring_.assign(frames, 0.0f);
  windowed_.resize(frames);
  spectrum_.resize(frames / 2 + 1);
  power_.assign(frames / 2 + 1, 0.0);
  fft_.SetFlag(Eigen::FFT<float>::HalfSpectrum);
  filled_ = frameFrames_ / 2;
}

int SpectralFrames::add(const float* samples, int sampleCount) {
  ready_ = false;
  const int taken = std::min(sampleCount, frameFrames_ - filled_);
  std::copy(samples, samples + taken, ring_.begin() + filled_);
  filled_ += taken;
  samplesAdded_ += taken;
  if (filled_ == frameFrames_) completeFrame();
  return taken;
}

bool SpectralFrames::flush() {
  ready_ = false;
  // Frame k is centred on sample k * hop; one remains while its centre is before the end.
  if (framesDone_ * hopFrames() >= samplesAdded_) return false;
  std::fill(ring_.begin() + filled_, ring_.end(), 0.0f);
  filled_ = frameFrames_;
  completeFrame();
  return true;
}

void SpectralFrames::completeFrame() {
  for (size_t n = 0; n < ring_.size(); ++n) windowed_[n] = ring_[n] * window_[n];
  fft_.fwd(spectrum_.data(), windowed_.data(), frameFrames_);
  for (size_t k = 0; k < power_.size(); ++k) power_[k] = static_cast<double>(std::norm(spectrum_[k])) * powerScale_;
  // DC and Nyquist have no mirror bin.
  power_.front() *= 0.5;
  power_.back() *= 0.5;
  const int hop = hopFrames();
  std::copy(ring_.begin() + hop, ring_.end(), ring_.begin());
  filled_ = frameFrames_ - hop;
  ++framesDone_;
  ready_ = true;
}

}  // namespace mixdown::analysis
