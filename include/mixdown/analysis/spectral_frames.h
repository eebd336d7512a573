#pragma once
// Short-time power spectra of a mono signal fed in blocks of any size: Hann
// frames of frameFrames() samples every hopFrames() = frameFrames() / 2
// samples. Frame k is centred on sample k * hopFrames() (the signal is taken as
// silent before its first sample), so which samples a frame holds depends only
// on their positions, never on how the input was split into blocks. The masking
// analysis and the reference comparison read their band levels from it.

#include <complex>
#include <cstdint>
#include <unsupported/Eigen/FFT>
#include <vector>

namespace mixdown::analysis {

/** The frame length for a rate: the smallest power of two >= rate / 16 (4096 at 44.1 and 48 kHz: 11.7 Hz bins). */
int spectralFrameFramesFor(int sampleRateHz);

class SpectralFrames {
public:
  /** sampleRateHz 100 .. 2822400; allocates. */
  explicit SpectralFrames(int sampleRateHz);

  int frameFrames() const noexcept { return frameFrames_; }
  int hopFrames() const noexcept { return frameFrames_ / 2; }
  int sampleRateHz() const noexcept { return sampleRateHz_; }
  /** Width of one bin of powerSpectrum(), in Hz. */
  double binHz() const noexcept { return static_cast<double>(sampleRateHz_) / frameFrames_; }

  /**
   * Takes samples until a frame is complete or sampleCount are taken; returns
   * how many it took. When frameReady(), powerSpectrum() holds the new frame
   * until the next call.
   */
  int add(const float* samples, int sampleCount);
  /**
   * Pads silence to complete the last frame whose centre lies within the
   * signal; true while such a frame remains (call it until false, reading each
   * frame after a true).
   */
  bool flush();
  bool frameReady() const noexcept { return ready_; }
  /** Frames completed so far. */
  std::int64_t framesDone() const noexcept { return framesDone_; }
  /** Samples added so far (padding excluded). */
  std::int64_t samplesAdded() const noexcept { return samplesAdded_; }

  /**
   * The last frame's mean-square power per bin 0 .. frameFrames() / 2,
   * calibrated so that a band's sum is the mean square of the signal's content
   * in that band (Parseval, with the window's power divided out): a full-scale
   * sine's bins sum to 0.5.
   */
  const std::vector<double>& powerSpectrum() const noexcept { return power_; }

private:
  void completeFrame();

  int sampleRateHz_;
  int frameFrames_;
  std::vector<float> window_;
  std::vector<float> ring_;  // the last frameFrames_ samples, in order of arrival
  std::vector<float> windowed_;
  std::vector<std::complex<float>> spectrum_;
  std::vector<double> power_;
  Eigen::FFT<float> fft_;
  double powerScale_ = 0.0;
  int filled_ = 0;  // samples in ring_ since the last frame (the first frame starts half full of silence)
  bool ready_ = false;
  std::int64_t framesDone_ = 0;
  std::int64_t samplesAdded_ = 0;
};

}  // namespace mixdown::analysis
