#include "mixdown/io/sample_quantizer.h"

#include <cmath>
#include <stdexcept>

namespace mixdown::io {

SampleQuantizer::SampleQuantizer(int bits, bool dither, std::uint64_t ditherSeed)
    : bits_(bits),
      fullScale_(std::ldexp(1.0, bits - 1)),
      minCode_(-fullScale_),
      maxCode_(fullScale_ - 1.0),
      dither_(dither),
      generator_(ditherSeed) {
  if (bits != 16 && bits != 24 && bits != 32) throw std::invalid_argument("SampleQuantizer: bits must be 16, 24 or 32");
}

void SampleQuantizer::quantize(const float* samples, std::size_t count, std::int32_t* codes) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    double value = static_cast<double>(samples[i]) * fullScale_;
    if (dither_) value += generator_.nextLsb();
    double code = std::round(value);
    if (std::isnan(code)) {
      code = 0.0;
      ++clippedSamples_;
    } else if (code > maxCode_) {
      code = maxCode_;
      ++clippedSamples_;
    } else if (code < minCode_) {
      code = minCode_;
      ++clippedSamples_;
    }
    codes[i] = static_cast<std::int32_t>(code);
  }
}

}  // namespace mixdown::io
