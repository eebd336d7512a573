#include "mixdown/dsp/simd_lanes.h"

#include <atomic>

namespace mixdown::dsp {

namespace {

bool cpuHasAvx2() noexcept {
#if MIXDOWN_LANES_AVX2
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") != 0;
#else
  return false;
#endif
}

std::atomic<bool>& avx2Chosen() noexcept {
  static std::atomic<bool> chosen{cpuHasAvx2()};
  return chosen;
}

}  // namespace

bool laneKernelsUseAvx2() noexcept { return avx2Chosen().load(std::memory_order_relaxed); }

bool useBaselineLaneKernels(bool baseline) noexcept {
  const bool was = !laneKernelsUseAvx2();
  avx2Chosen().store(!baseline && cpuHasAvx2(), std::memory_order_relaxed);
  return was;
}

}  // namespace mixdown::dsp
