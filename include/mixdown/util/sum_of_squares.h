#pragma once
// A running sum of squares in double, in four partial sums by sample number
// (sample n of the run goes to partial n % 4), each adding its samples in
// order: the total does not depend on how the samples were split into calls,
// and the four independent chains of additions run about four times as fast
// as one (a sum over millions of samples is otherwise bound by the latency
// of each addition).

#include <array>
#include <cstdint>

namespace mixdown {

class SumOfSquares {
public:
  void add(double value) noexcept {
    partial_[static_cast<std::size_t>(count_ & 3)] += value * value;
    ++count_;
  }

  void add(const float* samples, int count) noexcept {
    int index = 0;
    for (; index < count && (count_ & 3) != 0; ++index) add(samples[index]);
    for (; index + 4 <= count; index += 4) {
      for (std::size_t lane = 0; lane < 4; ++lane) {
        const double value = samples[index + static_cast<int>(lane)];
        partial_[lane] += value * value;
      }
      count_ += 4;
    }
    for (; index < count; ++index) add(samples[index]);
  }

  double total() const noexcept { return (partial_[0] + partial_[1]) + (partial_[2] + partial_[3]); }
  /** Samples added since the last reset. */
  std::uint64_t count() const noexcept { return count_; }
  void reset() noexcept { *this = SumOfSquares{}; }

private:
  std::array<double, 4> partial_{};
  std::uint64_t count_ = 0;
};

}  // namespace mixdown
