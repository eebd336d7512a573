#pragma once
// Float samples to n-bit integer codes, done here rather than by libsndfile
// (whose float-to-int conversion can wrap around at full scale):
//   code = clamp(round(x * 2^(n-1) + dither), -2^(n-1), 2^(n-1) - 1)
// rounding to nearest with ties away from zero; a clamped sample counts as
// clipped. Dither, when on, is TPDF of +-1 LSB peak from a seeded generator, one
// value per sample in interleaved order, so output repeats for a seed and does
// not depend on block sizes.

#include <cstddef>
#include <cstdint>

#include "mixdown/io/tpdf_dither.h"

namespace mixdown::io {

class SampleQuantizer {
public:
  /** bits is 16, 24 or 32. */
  SampleQuantizer(int bits, bool dither, std::uint64_t ditherSeed);

  /** Converts count samples to codes; NaN becomes 0 (and counts as clipped). */
  void quantize(const float* samples, std::size_t count, std::int32_t* codes) noexcept;

  int bits() const noexcept { return bits_; }
  /** 2^(bits-1): the code of +1.0 before clamping. */
  double fullScale() const noexcept { return fullScale_; }
  std::int64_t clippedSamples() const noexcept { return clippedSamples_; }

private:
  int bits_;
  double fullScale_;
  double minCode_;
  double maxCode_;
  bool dither_;
  TpdfDither generator_;
  std::int64_t clippedSamples_ = 0;
};

}  // namespace mixdown::io
