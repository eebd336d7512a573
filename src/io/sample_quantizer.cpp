#include "mixdown/io/sample_quantizer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mixdown::io {

SampleQuantizer::SampleQuantizer(int bits, Dither dither, std::uint64_t ditherSeed, int channels)
    : bits_(bits),
      fullScale_(std::ldexp(1.0, bits - 1)),
      minCode_(-fullScale_),
      maxCode_(fullScale_ - 1.0),
      dither_(dither),
      generator_(ditherSeed) {
  if (bits != 16 && bits != 24 && bits != 32) throw std::invalid_argument("SampleQuantizer: bits must be 16, 24 or 32");
  if (channels < 1) throw std::invalid_argument("SampleQuantizer: channels must be positive");
  if (dither == Dither::Shaped) errors_.assign(static_cast<std::size_t>(channels), {});
}

void SampleQuantizer::quantize(const float* samples, std::size_t count, std::int32_t* codes) noexcept {
  // round(v) > maxCode exactly when v >= maxCode + 1/2 (ties go away from zero), and below minCode
  // exactly when v <= minCode - 1/2; both bounds are exact in double.
  const double above = maxCode_ + 0.5, below = minCode_ - 0.5;
  for (std::size_t i = 0; i < count; ++i) {
    double value = static_cast<double>(samples[i]) * fullScale_;
    std::array<double, 5>* errors = nullptr;
    double shapedValue = 0.0;  // v[n] (shaped only)
    if (!errors_.empty()) {
      errors = &errors_[nextChannel_];
      if (++nextChannel_ == errors_.size()) nextChannel_ = 0;
      for (std::size_t k = 0; k < errors->size(); ++k) value -= kShapingCoefficients[k] * (*errors)[k];
      shapedValue = value;
    }
    if (dither_ != Dither::None) value += generator_.nextLsb();
    std::int32_t code;
    if (value > below && value < above) {
      // std::round inline (a library call on baseline x86-64): the whole part by truncation, then the
      // fraction, which value - whole gives exactly, decides.
      const auto whole = static_cast<std::int64_t>(value);
      const double fraction = value - static_cast<double>(whole);
      code = static_cast<std::int32_t>(whole + static_cast<std::int64_t>(fraction >= 0.5) -
                                       static_cast<std::int64_t>(fraction <= -0.5));  // no branch: fractions are random
    } else {
      ++clippedSamples_;
      code = std::isnan(value) ? 0 : static_cast<std::int32_t>(value > 0.0 ? maxCode_ : minCode_);
    }
    codes[i] = code;
    if (errors != nullptr) {
      // A clipped or non-finite sample feeds back no error, so the loop stays bounded (|e| < 2 LSB).
      std::copy_backward(errors->begin(), errors->end() - 1, errors->end());
      (*errors)[0] = value > below && value < above ? static_cast<double>(code) - shapedValue : 0.0;
    }
  }
}

}  // namespace mixdown::io
