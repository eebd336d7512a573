#include "mixdown/dsp/biquad_lanes.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace mixdown::dsp {

namespace {

constexpr int kChunkFrames = 64;        // frames transposed into lanes at a time
constexpr int kMostUnrolledSections = 8;  // cascades up to this long keep their state in registers

/** What filterSteady works on; plain pointers, so the kernel's builds share one signature. */
struct SteadyWork {
  LaneSection* sections;
  int sectionCount;
  float* const* channels;
  int lanes;
  int frames;
  LaneMask* quietCountsValid;
};

/**
 * The cascade over work's frames. kSections > 0: the cascade has exactly that
 * many sections, copied into locals the compiler keeps in registers; 0: any
 * number, worked on in place.
 */
template <int kSections>
MIXDOWN_ALWAYS_INLINE void filterSteady(const SteadyWork& work) noexcept {
  LaneSection local[kSections > 0 ? kSections : 1];
  LaneSection* sections = work.sections;
  int sectionCount = work.sectionCount;
  if constexpr (kSections > 0) {
    for (int index = 0; index < kSections; ++index) local[index] = work.sections[index];
    sections = local;
    sectionCount = kSections;
  }
  const Lanes tiny = broadcastLanes(BiquadCascadeLanes::kTinyLevel);
  const Lanes flushAfter = broadcastLanes(BiquadCascadeLanes::kQuietFramesToFlush);
  LaneMask used{};
  for (int lane = 0; lane < work.lanes; ++lane) used[lane] = -1;
  LaneMask quietCountsValid = *work.quietCountsValid;
  Lanes buffer[kChunkFrames];
  for (int start = 0; start < work.frames; start += kChunkFrames) {
    const int count = std::min(kChunkFrames, work.frames - start);
    for (int frame = 0; frame < count; ++frame) buffer[frame] = Lanes{};
    for (int lane = 0; lane < work.lanes; ++lane) {
      const float* samples = work.channels[lane] + start;
      for (int frame = 0; frame < count; ++frame) buffer[frame][lane] = samples[frame];
    }
    for (int frame = 0; frame < count; ++frame) {
      Lanes value = buffer[frame];
      const LaneMask quietInput = (absLanes(value) < tiny) & used;
      if (!anyLane(quietInput)) {
        // Signal in every lane: no section is flushed, so skip the bookkeeping.
        for (int index = 0; index < sectionCount; ++index) {
          LaneSection& section = sections[index];
          const Lanes output = section.b0 * value + section.s1;
          section.s1 = section.b1 * value - section.a1 * output + section.s2;
          section.s2 = section.b2 * value - section.a2 * output;
          value = output;
        }
        quietCountsValid = LaneMask{};
      } else {
        // The lanes whose input is quiet count, per section, the frames in a row whose input and
        // output are both below kTinyLevel, and flush the section's state when there are enough.
        const LaneMask restart = quietInput & ~quietCountsValid;
        for (int index = 0; index < sectionCount; ++index) {
          LaneSection& section = sections[index];
          const Lanes output = section.b0 * value + section.s1;
          section.s1 = section.b1 * value - section.a1 * output + section.s2;
          section.s2 = section.b2 * value - section.a2 * output;
          const LaneMask bothQuiet = (absLanes(value) < tiny) & (absLanes(output) < tiny);
          const Lanes counted = selectLanes(restart, Lanes{}, section.quietFrames);
          const Lanes advanced = selectLanes(counted < flushAfter, counted + 1.0, counted);
          section.quietFrames = selectLanes(quietInput, selectLanes(bothQuiet, advanced, Lanes{}), counted);
          const LaneMask flush = quietInput & (section.quietFrames == flushAfter);
          section.s1 = selectLanes(flush, Lanes{}, section.s1);
          section.s2 = selectLanes(flush, Lanes{}, section.s2);
          value = output;
        }
        quietCountsValid = quietInput;
      }
      buffer[frame] = selectLanes(absLanes(value) < tiny, Lanes{}, value);
    }
    for (int lane = 0; lane < work.lanes; ++lane) {
      float* samples = work.channels[lane] + start;
      for (int frame = 0; frame < count; ++frame) samples[frame] = static_cast<float>(buffer[frame][lane]);
    }
  }
  *work.quietCountsValid = quietCountsValid;
  if constexpr (kSections > 0)
    for (int index = 0; index < kSections; ++index) work.sections[index] = local[index];
}

/** filterSteady with the section count fixed where it is small. */
MIXDOWN_ALWAYS_INLINE void filterSteadyAnyLength(const SteadyWork& work) noexcept {
  static_assert(kMostUnrolledSections == 8, "one case per unrolled length");
  switch (work.sectionCount) {
    case 1: filterSteady<1>(work); return;
    case 2: filterSteady<2>(work); return;
    case 3: filterSteady<3>(work); return;
    case 4: filterSteady<4>(work); return;
    case 5: filterSteady<5>(work); return;
    case 6: filterSteady<6>(work); return;
    case 7: filterSteady<7>(work); return;
    case 8: filterSteady<8>(work); return;
    default: filterSteady<0>(work); return;
  }
}

MIXDOWN_TARGET_AVX2 void filterSteadyAvx2(const SteadyWork& work) noexcept { filterSteadyAnyLength(work); }
void filterSteadyBaseline(const SteadyWork& work) noexcept { filterSteadyAnyLength(work); }

}  // namespace

void BiquadCascadeLanes::prepare(int lanes, int sections) {
  assert(lanes >= 1 && lanes <= kLanes && sections >= 0);
  lanes_ = std::clamp(lanes, 1, kLanes);
  LaneSection passThrough{};
  for (int lane = 0; lane < kLanes; ++lane) passThrough.b0[lane] = 1.0;
  sections_.assign(static_cast<size_t>(std::max(sections, 0)), passThrough);
  quietCountsValid_ = LaneMask{};
}

void BiquadCascadeLanes::setCoefficients(int lane, int section, const BiquadCoefficients& coefficients) noexcept {
  assert(lane >= 0 && lane < lanes_ && section >= 0 && section < sections());
  LaneSection& target = sections_[static_cast<size_t>(section)];
  target.b0[lane] = coefficients.b0;
  target.b1[lane] = coefficients.b1;
  target.b2[lane] = coefficients.b2;
  target.a1[lane] = coefficients.a1;
  target.a2[lane] = coefficients.a2;
}

void BiquadCascadeLanes::reset() noexcept {
  for (LaneSection& section : sections_) section.s1 = section.s2 = section.quietFrames = Lanes{};
  quietCountsValid_ = LaneMask{};
}

void BiquadCascadeLanes::process(float* const* channels, int frames) noexcept {
  if (sections_.empty() || frames <= 0) return;
  const SteadyWork work{sections_.data(), sections(), channels, lanes_, frames, &quietCountsValid_};
  runLaneKernel([&] { filterSteadyAvx2(work); }, [&] { filterSteadyBaseline(work); });
}

void BiquadCascadeLanes::processRamping(int lane, float* samples, int frames, BiquadCoefficientRamp* ramps) noexcept {
  assert(lane >= 0 && lane < lanes_);
  quietCountsValid_[lane] = 0;  // no flushing while the filters move
  for (int frame = 0; frame < frames; ++frame) {
    double value = samples[frame];
    for (size_t index = 0; index < sections_.size(); ++index) {
      LaneSection& section = sections_[index];
      const BiquadCoefficients coefficients = ramps[index].next();
      const double output = coefficients.b0 * value + section.s1[lane];
      section.s1[lane] = coefficients.b1 * value - coefficients.a1 * output + section.s2[lane];
      section.s2[lane] = coefficients.b2 * value - coefficients.a2 * output;
      value = output;
    }
    samples[frame] = std::abs(value) < kTinyLevel ? 0.0f : static_cast<float>(value);
  }
}

}  // namespace mixdown::dsp
