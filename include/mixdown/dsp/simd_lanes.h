#pragma once
// Four doubles side by side (a GCC / Clang vector type): independent channels
// (a stereo pair, or the tracks of a lane group) filtered in one pass.
//
// Every operation on Lanes is the IEEE operation of each lane, in the order
// written, so a lane computes bit for bit what the same expression computes on
// a plain double. Kernels are compiled twice, for the baseline instruction set
// and for AVX2, and dispatched once by the CPU (laneKernelsUseAvx2()); the AVX2
// build enables no FMA, so the compiler cannot fuse a multiply and an add and
// both builds give the same bits.
//
// Lanes values must not cross a call that is not inlined (their ABI differs
// between the two builds): kernels take pointers and keep Lanes inside.

#include <cstddef>
#include <cstdint>
#include <utility>

namespace mixdown::dsp {

inline constexpr int kLanes = 4;

// Aligned to their size in both builds (a baseline build would otherwise align them to 16 bytes only,
// and the AVX2 build's aligned loads would fault on them).
using Lanes = double __attribute__((vector_size(kLanes * sizeof(double)), aligned(kLanes * sizeof(double))));
using LaneMask = std::int64_t
    __attribute__((vector_size(kLanes * sizeof(double)), aligned(kLanes * sizeof(double))));  // a comparison: all ones or 0

// Eight floats side by side (the 16 lines of the reverb's network in two).
inline constexpr int kFloatLanes = 8;
using FloatLanes = float __attribute__((vector_size(kFloatLanes * sizeof(float)), aligned(kFloatLanes * sizeof(float))));
using FloatLaneMask = std::int32_t
    __attribute__((vector_size(kFloatLanes * sizeof(float)), aligned(kFloatLanes * sizeof(float))));

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define MIXDOWN_LANES_AVX2 1
#define MIXDOWN_TARGET_AVX2 __attribute__((target("avx2")))
#else
#define MIXDOWN_LANES_AVX2 0
#define MIXDOWN_TARGET_AVX2
#endif

#define MIXDOWN_ALWAYS_INLINE inline __attribute__((always_inline))

/** Whether kernels run their AVX2 build (from the CPU, unless useBaselineLaneKernels() said otherwise). */
bool laneKernelsUseAvx2() noexcept;
/**
 * Makes kernels run their baseline build (true) or the build the CPU allows
 * (false); returns whether the baseline was in use. For tests, which compare
 * the two builds bit for bit; not while a render runs.
 */
bool useBaselineLaneKernels(bool baseline) noexcept;

/**
 * Runs a kernel in the build the CPU allows: avx2() where laneKernelsUseAvx2(),
 * else baseline(). Each callable calls the kernel's entry point compiled for
 * that build (one MIXDOWN_TARGET_AVX2, one plain).
 */
template <typename Avx2, typename Baseline>
inline void runLaneKernel(Avx2&& avx2, Baseline&& baseline) noexcept {
#if MIXDOWN_LANES_AVX2
  if (laneKernelsUseAvx2()) {
    avx2();
    return;
  }
#else
  (void)avx2;
#endif
  baseline();
}

MIXDOWN_ALWAYS_INLINE Lanes broadcastLanes(double value) noexcept { return Lanes{} + value; }

/** |value| per lane (the sign bit cleared, as std::abs). */
MIXDOWN_ALWAYS_INLINE Lanes absLanes(Lanes value) noexcept {
  return reinterpret_cast<Lanes>(reinterpret_cast<LaneMask>(value) & ~(LaneMask{} + INT64_MIN));
}

/** Per lane: mask ? whenTrue : whenFalse (mask from a comparison). */
MIXDOWN_ALWAYS_INLINE Lanes selectLanes(LaneMask mask, Lanes whenTrue, Lanes whenFalse) noexcept {
  return reinterpret_cast<Lanes>((reinterpret_cast<LaneMask>(whenTrue) & mask) |
                                 (reinterpret_cast<LaneMask>(whenFalse) & ~mask));
}

// The same operations on one double (a comparison gives a bool), so that a kernel written once over its
// value type runs on a plain double (one lane) as on Lanes: biquad_step.h, gain_computer.h.
MIXDOWN_ALWAYS_INLINE double absLanes(double value) noexcept { return __builtin_fabs(value); }
MIXDOWN_ALWAYS_INLINE double selectLanes(bool mask, double whenTrue, double whenFalse) noexcept {
  return mask ? whenTrue : whenFalse;
}

/**
 * N Lanes whose arithmetic is written together: each operator applies to all
 * N in turn, so N independent chains of one series (a Horner polynomial of N
 * frames) interleave in the instruction stream and overlap, where one frame's
 * chain alone waits on each step's latency. Each Lanes gets exactly the
 * operations a lone one would.
 */
template <int N>
struct InterleavedLanes {
  Lanes values[N];

  template <typename F>
  MIXDOWN_ALWAYS_INLINE static InterleavedLanes each(F f) noexcept {
    InterleavedLanes result;
    [&]<std::size_t... K>(std::index_sequence<K...>) { ((result.values[K] = f(static_cast<int>(K))), ...); }(std::make_index_sequence<N>());
    return result;
  }
  MIXDOWN_ALWAYS_INLINE friend InterleavedLanes operator+(InterleavedLanes a, InterleavedLanes b) noexcept { return each([&](int k) { return a.values[k] + b.values[k]; }); }
  MIXDOWN_ALWAYS_INLINE friend InterleavedLanes operator-(InterleavedLanes a, InterleavedLanes b) noexcept { return each([&](int k) { return a.values[k] - b.values[k]; }); }
  MIXDOWN_ALWAYS_INLINE friend InterleavedLanes operator*(InterleavedLanes a, InterleavedLanes b) noexcept { return each([&](int k) { return a.values[k] * b.values[k]; }); }
  MIXDOWN_ALWAYS_INLINE friend InterleavedLanes operator/(InterleavedLanes a, InterleavedLanes b) noexcept { return each([&](int k) { return a.values[k] / b.values[k]; }); }
  MIXDOWN_ALWAYS_INLINE friend InterleavedLanes operator+(double a, InterleavedLanes b) noexcept { return each([&](int k) { return a + b.values[k]; }); }
  MIXDOWN_ALWAYS_INLINE friend InterleavedLanes operator+(InterleavedLanes a, double b) noexcept { return each([&](int k) { return a.values[k] + b; }); }
  MIXDOWN_ALWAYS_INLINE friend InterleavedLanes operator-(InterleavedLanes a, double b) noexcept { return each([&](int k) { return a.values[k] - b; }); }
  MIXDOWN_ALWAYS_INLINE friend InterleavedLanes operator*(double a, InterleavedLanes b) noexcept { return each([&](int k) { return a * b.values[k]; }); }
  MIXDOWN_ALWAYS_INLINE friend InterleavedLanes operator*(InterleavedLanes a, double b) noexcept { return each([&](int k) { return a.values[k] * b; }); }
};

/** columns[j][i] = rows[i][j] for i, j < kFloatLanes: an 8 x 8 transpose (unpack, pair, half swaps). */
MIXDOWN_ALWAYS_INLINE void transposeFloatLanes(const FloatLanes* rows, FloatLanes* columns) noexcept {
  FloatLanes pairs[kFloatLanes];  // rows 2k and 2k + 1 interleaved, within each half
  for (int row = 0; row < kFloatLanes; row += 2) {
    pairs[row] = __builtin_shufflevector(rows[row], rows[row + 1], 0, 8, 1, 9, 4, 12, 5, 13);
    pairs[row + 1] = __builtin_shufflevector(rows[row], rows[row + 1], 2, 10, 3, 11, 6, 14, 7, 15);
  }
  FloatLanes quads[kFloatLanes];  // quads[4 g + k]: elements k and k + 4 of rows 4 g .. 4 g + 3
  for (int group = 0; group < 2; ++group) {
    const FloatLanes* from = pairs + 4 * group;
    FloatLanes* to = quads + 4 * group;
    to[0] = __builtin_shufflevector(from[0], from[2], 0, 1, 8, 9, 4, 5, 12, 13);
    to[1] = __builtin_shufflevector(from[0], from[2], 2, 3, 10, 11, 6, 7, 14, 15);
    to[2] = __builtin_shufflevector(from[1], from[3], 0, 1, 8, 9, 4, 5, 12, 13);
    to[3] = __builtin_shufflevector(from[1], from[3], 2, 3, 10, 11, 6, 7, 14, 15);
  }
  for (int column = 0; column < 4; ++column) {
    columns[column] = __builtin_shufflevector(quads[column], quads[column + 4], 0, 1, 2, 3, 8, 9, 10, 11);
    columns[column + 4] = __builtin_shufflevector(quads[column], quads[column + 4], 4, 5, 6, 7, 12, 13, 14, 15);
  }
}

/** Whether any lane of mask is set. */
MIXDOWN_ALWAYS_INLINE bool anyLane(LaneMask mask) noexcept {
  return (mask[0] | mask[1] | mask[2] | mask[3]) != 0;
}
MIXDOWN_ALWAYS_INLINE bool anyLane(bool mask) noexcept { return mask; }

/**
 * buffer[frame][lane] = channels[lane][frame] for frame < count: four
 * channels' floats into Lanes of doubles, four frames at a time through a
 * 4 x 4 transpose (an exact conversion, so the same values as one by one).
 */
MIXDOWN_ALWAYS_INLINE void lanesFromChannels(const float* const* channels, int count, Lanes* buffer) noexcept {
  using Floats = float __attribute__((vector_size(kLanes * sizeof(float))));
  int frame = 0;
  for (; frame + kLanes <= count; frame += kLanes) {
    Lanes rows[kLanes];  // rows[lane]: frames frame .. frame + 3 of the lane
    for (int lane = 0; lane < kLanes; ++lane) {
      Floats floats;
      __builtin_memcpy(&floats, channels[lane] + frame, sizeof floats);
      rows[lane] = __builtin_convertvector(floats, Lanes);
    }
    const Lanes even01 = __builtin_shufflevector(rows[0], rows[1], 0, 4, 2, 6), odd01 = __builtin_shufflevector(rows[0], rows[1], 1, 5, 3, 7);
    const Lanes even23 = __builtin_shufflevector(rows[2], rows[3], 0, 4, 2, 6), odd23 = __builtin_shufflevector(rows[2], rows[3], 1, 5, 3, 7);
    buffer[frame] = __builtin_shufflevector(even01, even23, 0, 1, 4, 5);
    buffer[frame + 1] = __builtin_shufflevector(odd01, odd23, 0, 1, 4, 5);
    buffer[frame + 2] = __builtin_shufflevector(even01, even23, 2, 3, 6, 7);
    buffer[frame + 3] = __builtin_shufflevector(odd01, odd23, 2, 3, 6, 7);
  }
  for (; frame < count; ++frame)
    for (int lane = 0; lane < kLanes; ++lane) buffer[frame][lane] = channels[lane][frame];
}

/** channels[lane][frame] = buffer[frame][lane] rounded to float, for frame < count: lanesFromChannels reversed. */
MIXDOWN_ALWAYS_INLINE void channelsFromLanes(const Lanes* buffer, int count, float* const* channels) noexcept {
  using Floats = float __attribute__((vector_size(kLanes * sizeof(float))));
  int frame = 0;
  for (; frame + kLanes <= count; frame += kLanes) {
    const Lanes even01 = __builtin_shufflevector(buffer[frame], buffer[frame + 1], 0, 4, 2, 6);
    const Lanes odd01 = __builtin_shufflevector(buffer[frame], buffer[frame + 1], 1, 5, 3, 7);
    const Lanes even23 = __builtin_shufflevector(buffer[frame + 2], buffer[frame + 3], 0, 4, 2, 6);
    const Lanes odd23 = __builtin_shufflevector(buffer[frame + 2], buffer[frame + 3], 1, 5, 3, 7);
    const Lanes rows[kLanes] = {__builtin_shufflevector(even01, even23, 0, 1, 4, 5), __builtin_shufflevector(odd01, odd23, 0, 1, 4, 5),
                                __builtin_shufflevector(even01, even23, 2, 3, 6, 7), __builtin_shufflevector(odd01, odd23, 2, 3, 6, 7)};
    for (int lane = 0; lane < kLanes; ++lane) {
      const Floats floats = __builtin_convertvector(rows[lane], Floats);
      __builtin_memcpy(channels[lane] + frame, &floats, sizeof floats);
    }
  }
  for (; frame < count; ++frame)
    for (int lane = 0; lane < kLanes; ++lane) channels[lane][frame] = static_cast<float>(buffer[frame][lane]);
}

}  // namespace mixdown::dsp
