#pragma once
// Float samples to n-bit integer codes, done here rather than by libsndfile
// (whose float-to-int conversion can wrap around at full scale):
//   code = clamp(round(x * 2^(n-1) + dither), -2^(n-1), 2^(n-1) - 1)
// rounding to nearest with ties away from zero; a clamped sample counts as
// clipped. Dither, when on, is TPDF of +-1 LSB peak from a seeded generator, one
// value per sample in interleaved order, so output repeats for a seed and does
// not depend on block sizes.
//
// Shaped dither adds error feedback (noise shaping): per channel,
//   v[n] = x[n] 2^(bits-1) - sum_k h_k e[n - k],  code = round(v[n] + d[n]),  e[n] = code - v[n]
// (e before clamping), so code - x 2^(bits-1) = e[n] - sum_k h_k e[n - k]: the
// requantisation noise, dither included, leaves filtered by E(z) = 1 - sum_k h_k z^-k.
// h is the 5-tap "E-weighted" minimally audible shaper of Lipshitz, Vanderkooy and
// Wannamaker (JAES 39(11), 1991), designed for 44.1 kHz: the noise is 14-27 dB lower
// in 1-5 kHz, where hearing is most sensitive, and up to 19 dB higher above 15 kHz
// (12 dB more noise power in all); at other rates the curve moves with the rate.
// The same seeded dither drives it, so shaped output repeats for a seed too.

#include <array>
#include <cstddef>
#include <cstdint>

#include <vector>

#include "mixdown/audio/sample_format.h"
#include "mixdown/io/tpdf_dither.h"

namespace mixdown::io {

using audio::BitDepth;
using audio::Dither;

class SampleQuantizer {
public:
  /** Lipshitz et al. 1991's E-weighted 5-tap error filter, h_1 .. h_5 of E(z) = 1 - sum_k h_k z^-k. */
  static constexpr double kShapingCoefficients[5] = {2.033, -2.165, 1.959, -1.590, 0.6149};

  /** bits is 16, 24 or 32; samples arrive interleaved over `channels` channels (shaped dither keeps each one's errors). */
  SampleQuantizer(int bits, Dither dither, std::uint64_t ditherSeed, int channels = 1);

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
  Dither dither_;
  TpdfDither generator_;
  std::vector<std::array<double, 5>> errors_;  // shaped: per channel, e[n - 1] .. e[n - 5]
  std::size_t nextChannel_ = 0;                // the channel of the next sample
  std::int64_t clippedSamples_ = 0;
};

}  // namespace mixdown::io
