#pragma once
// Flush-to-zero and denormals-are-zero for the current thread while in scope.
// Decaying filter and envelope states otherwise crawl through subnormal
// numbers after a loud passage, which costs x86 CPUs ~100x per operation.
// FTZ/DAZ are part of SSE on every x86-64 CPU, so renders still repeat across
// machines. The engine holds one of these around every node it processes.

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace mixdown {

class ScopedFlushDenormals {
public:
#if defined(__SSE__) || defined(__x86_64__)
  ScopedFlushDenormals() noexcept : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | kFlushToZero | kDenormalsAreZero); }
  ~ScopedFlushDenormals() { _mm_setcsr(saved_); }
#else
  ScopedFlushDenormals() noexcept = default;
#endif
  ScopedFlushDenormals(const ScopedFlushDenormals&) = delete;
  ScopedFlushDenormals& operator=(const ScopedFlushDenormals&) = delete;

private:
#if defined(__SSE__) || defined(__x86_64__)
  static constexpr unsigned kFlushToZero = 0x8000;      // MXCSR bit 15
  static constexpr unsigned kDenormalsAreZero = 0x0040;  // MXCSR bit 6
  unsigned saved_;
#endif
};

}  // namespace mixdown
