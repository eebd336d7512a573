#pragma once
// Streaming sample-rate conversion of interleaved float audio with libsoxr.
// Quality is SOXR_HQ (20-bit precision, linear phase, passband to 0.913 of the
// lower Nyquist): its error is near -140 dB on a full-scale sine. SOXR_HQ runs
// on soxr's single-precision SIMD engine (cr32s), available on every x86-64, so
// output repeats across machines; the 28-bit VHQ engine (cr64s) depends on AVX.
// soxr compensates its own filter delay: output frame j is the input at time
// j / outputRate, so a sine keeps its phase. Output does not depend on how the
// input is split into calls.

#include <cstddef>
#include <cstdint>

struct soxr;

namespace mixdown::dsp {

class Resampler {
public:
  Resampler(int inputRate, int outputRate, int channels);
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  struct Progress {
    std::size_t inputFramesUsed = 0;
    std::size_t outputFrames = 0;
  };

  /** Consumes up to inputFrames and writes up to outputCapacityFrames (both interleaved). */
  Progress process(const float* input, std::size_t inputFrames, float* output, std::size_t outputCapacityFrames);
  /** After the last input: writes what remains; returns 0 once drained. */
  std::size_t drain(float* output, std::size_t outputCapacityFrames);

  int channels() const noexcept { return channels_; }

  /** Frames soxr produces for inputFrames in total: inputFrames * outputRate / inputRate, rounded. */
  static std::int64_t outputFrameCount(std::int64_t inputFrames, int inputRate, int outputRate) noexcept;

private:
  soxr* soxr_ = nullptr;
  int channels_ = 0;
};

}  // namespace mixdown::dsp
