#include "mixdown/dsp/resampler.h"

#include <soxr.h>

#include <stdexcept>
#include <string>

namespace mixdown::dsp {

Resampler::Resampler(int inputRate, int outputRate, int channels) : channels_(channels) {
  if (inputRate <= 0 || outputRate <= 0 || channels <= 0) {
    throw std::invalid_argument("resampler needs positive rates and channels");
  }
  const soxr_io_spec_t ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t qualitySpec = soxr_quality_spec(SOXR_HQ, SOXR_LINEAR_PHASE);
  const soxr_runtime_spec_t runtimeSpec = soxr_runtime_spec(1);
  soxr_error_t error = nullptr;
  soxr_ = soxr_create(inputRate, outputRate, static_cast<unsigned>(channels), &error, &ioSpec, &qualitySpec,
                      &runtimeSpec);
  if (error != nullptr || soxr_ == nullptr) {
    throw std::runtime_error(std::string("cannot create resampler: ") + soxr_strerror(error));
  }
}

Resampler::~Resampler() { soxr_delete(soxr_); }

Resampler::Progress Resampler::process(const float* input, std::size_t inputFrames, float* output,
                                       std::size_t outputCapacityFrames) {
  Progress progress;
  const soxr_error_t error = soxr_process(soxr_, input, inputFrames, &progress.inputFramesUsed, output,
                                          outputCapacityFrames, &progress.outputFrames);
  if (error != nullptr) throw std::runtime_error(std::string("resampler failed: ") + error);
  return progress;
}

std::size_t Resampler::drain(float* output, std::size_t outputCapacityFrames) {
  std::size_t produced = 0;
  const soxr_error_t error = soxr_process(soxr_, nullptr, 0, nullptr, output, outputCapacityFrames, &produced);
  if (error != nullptr) throw std::runtime_error(std::string("resampler failed: ") + error);
  return produced;
}

std::int64_t Resampler::outputFrameCount(std::int64_t inputFrames, int inputRate, int outputRate) noexcept {
  if (inputRate == outputRate) return inputFrames;
  // Round half up, in integers so the count never depends on floating point.
  return (inputFrames * 2 * outputRate + inputRate) / (2 * static_cast<std::int64_t>(inputRate));
}

}  // namespace mixdown::dsp
