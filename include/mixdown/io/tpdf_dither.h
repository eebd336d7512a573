#pragma once
// Seeded triangular (TPDF) dither noise, identical on every platform and standard
// library: splitmix64 (Steele, Lea and Flood, OOPSLA 2014) drives two uniform
// values in (-0.5, +0.5) LSB whose sum has a triangular density of +-1 LSB peak.
// std::uniform_*_distribution is avoided on purpose: its output differs between
// standard library implementations.

#include <cstdint>

namespace mixdown::io {

class TpdfDither {
public:
  explicit TpdfDither(std::uint64_t seed) noexcept : state_(seed) {}

  /** Next raw 64-bit value of splitmix64. */
  std::uint64_t nextBits() noexcept {
    std::uint64_t value = (state_ += 0x9E3779B97F4A7C15ull);
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ull;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBull;
    return value ^ (value >> 31);
  }

  /** Uniform in (-0.5, +0.5): the top 53 bits, centred on the middle of each step. */
  double nextUniformLsb() noexcept {
    constexpr double kStep = 1.0 / 9007199254740992.0;  // 2^-53
    return (static_cast<double>(nextBits() >> 11) + 0.5) * kStep - 0.5;
  }

  /** TPDF noise in (-1, +1) LSB: the sum of two independent uniform values. */
  double nextLsb() noexcept {
    const double first = nextUniformLsb();
    return first + nextUniformLsb();
  }

private:
  std::uint64_t state_;
};

}  // namespace mixdown::io
