#include "mixdown/dsp/biquad_lanes.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace mixdown::dsp {

namespace {

constexpr int kChunkFrames = 128;  // frames transposed into lanes at a time
constexpr int kSkewedSections = 8;  // sections filtered side by side, their state in registers

/** What filterSteady works on; plain pointers, so the kernel's builds share one signature. */
struct SteadyWork {
  LaneSection* sections;
  int sectionCount;
  LaneSection* saved;  // room for sectionCount sections: their state before a quiet chunk
  float* const* channels;
  int lanes;
  int frames;
  LaneMask* quietCountsValid;
};

/** A chunk's frames in lanes, with what the flush needs of each frame. */
struct Chunk {
  Lanes* values;               // every lane's signal, filtered in place section by section
  const LaneMask* quietInput;  // per frame: the used lanes whose cascade input is below kQuietLevel
  const LaneMask* restart;     // per frame: quietInput, less the lanes quiet in the frame before (their count restarts)
  int count;
};

/**
 * What a pass does besides filtering. The flush (BiquadCascadeLanes's
 * contract): the lanes whose cascade input is quiet count, per section, the
 * frames in a row whose section input and output are both below kQuietLevel,
 * and flush the section's state when there are enough.
 */
enum class Bookkeeping {
  None,   // nothing: no used lane's input is quiet in the chunk, so the flush changes nothing
  Watch,  // keeps each lane's smallest |output| of any section, which tells where the flush may act
  Flush,  // the flush itself (a no-op in frames with no quiet lane)
};

/** The state of kSections sections in locals, which the compiler keeps in registers. */
template <int kSections>
struct SkewedState {
  Lanes s1[kSections], s2[kSections], quietFrames[kSections];
  Lanes carry[kSections];  // each section's latest output
  Lanes smallest;          // Bookkeeping::Watch: per lane, the smallest |output| of any section and frame
};

/** One section filters one frame: biquadStep, then kMode's bookkeeping. */
template <int kSections, Bookkeeping kMode>
MIXDOWN_ALWAYS_INLINE Lanes filterFrame(const LaneSection& coefficients, SkewedState<kSections>& state, int index, Lanes value,
                                        const Chunk& chunk, int frame) noexcept {
  Lanes& s1 = state.s1[index];
  Lanes& s2 = state.s2[index];
  const Lanes output = biquadStep(coefficients, s1, s2, value);
  if constexpr (kMode == Bookkeeping::Watch) {
    const Lanes size = absLanes(output);
    state.smallest = selectLanes(size < state.smallest, size, state.smallest);
  } else if constexpr (kMode == Bookkeeping::Flush) {
    // The quiet-state rule, counted only in the frames whose lane input is quiet.
    const LaneMask quietInput = chunk.quietInput[frame];
    Lanes& quietFrames = state.quietFrames[index];
    const Lanes counted = selectLanes(chunk.restart[frame], Lanes{}, quietFrames);
    Lanes advanced = counted;
    const LaneMask flush = quietInput & countQuietFrames(advanced, isQuiet(value) & isQuiet(output));
    quietFrames = selectLanes(quietInput, advanced, counted);
    s1 = selectLanes(flush, Lanes{}, s1);
    s2 = selectLanes(flush, Lanes{}, s2);
  }
  return output;
}

/**
 * One iteration of the skewed cascade: section k filters frame i - k, from
 * section k - 1's output of the iteration before (carry), so the sections'
 * recursions are independent within an iteration and run side by side rather
 * than one after another. Each section still sees its frames in order through
 * the same operations, so the bits are the plain cascade's. kGuarded: skip
 * the sections whose frame is outside the chunk (the first and last
 * kSections - 1 iterations).
 */
template <int kSections, Bookkeeping kMode, bool kGuarded>
MIXDOWN_ALWAYS_INLINE void skewedIteration(const LaneSection* sections, SkewedState<kSections>& state, const Chunk& chunk,
                                           int iteration) noexcept {
  for (int index = kSections - 1; index >= 0; --index) {  // from the last: carry[index - 1] is read before it is replaced
    const int frame = iteration - index;
    if (kGuarded && (frame < 0 || frame >= chunk.count)) continue;
    const Lanes value = index == 0 ? chunk.values[frame] : state.carry[index > 0 ? index - 1 : 0];
    state.carry[index] = filterFrame<kSections, kMode>(sections[index], state, index, value, chunk, frame);
    if (index == kSections - 1) chunk.values[frame] = state.carry[index];
  }
}

/** kSections sections over the chunk, skewed; returns Bookkeeping::Watch's smallest |output| per lane. */
template <int kSections, Bookkeeping kMode>
MIXDOWN_ALWAYS_INLINE Lanes filterSkewed(LaneSection* sections, const Chunk& chunk) noexcept {
  SkewedState<kSections> state;
  state.smallest = broadcastLanes(__builtin_inf());
  for (int index = 0; index < kSections; ++index) {
    state.s1[index] = sections[index].s1;
    state.s2[index] = sections[index].s2;
    state.quietFrames[index] = sections[index].quietFrames;
    state.carry[index] = Lanes{};
  }
  int iteration = 0;
  for (; iteration < kSections - 1; ++iteration) skewedIteration<kSections, kMode, true>(sections, state, chunk, iteration);
  for (; iteration < chunk.count; ++iteration) skewedIteration<kSections, kMode, false>(sections, state, chunk, iteration);
  for (; iteration < chunk.count + kSections - 1; ++iteration) skewedIteration<kSections, kMode, true>(sections, state, chunk, iteration);
  for (int index = 0; index < kSections; ++index) {
    sections[index].s1 = state.s1[index];
    sections[index].s2 = state.s2[index];
    sections[index].quietFrames = state.quietFrames[index];
  }
  return state.smallest;
}

/**
 * The whole cascade over the chunk, in skewed runs of up to kSkewedSections;
 * returns Bookkeeping::Watch's smallest |output| per lane.
 */
template <Bookkeeping kMode>
MIXDOWN_ALWAYS_INLINE Lanes filterCascade(LaneSection* sections, int sectionCount, const Chunk& chunk) noexcept {
  static_assert(kSkewedSections == 8, "one case per skewed length");
  Lanes smallest = broadcastLanes(__builtin_inf());
  for (int first = 0; first < sectionCount; first += kSkewedSections) {
    LaneSection* run = sections + first;
    Lanes watched;
    switch (std::min(kSkewedSections, sectionCount - first)) {
      case 1: watched = filterSkewed<1, kMode>(run, chunk); break;
      case 2: watched = filterSkewed<2, kMode>(run, chunk); break;
      case 3: watched = filterSkewed<3, kMode>(run, chunk); break;
      case 4: watched = filterSkewed<4, kMode>(run, chunk); break;
      case 5: watched = filterSkewed<5, kMode>(run, chunk); break;
      case 6: watched = filterSkewed<6, kMode>(run, chunk); break;
      case 7: watched = filterSkewed<7, kMode>(run, chunk); break;
      default: watched = filterSkewed<8, kMode>(run, chunk); break;
    }
    smallest = selectLanes(watched < smallest, watched, smallest);
  }
  return smallest;
}

/**
 * A chunk where some used lane's input is quiet. The flush's bookkeeping is
 * long and lies on each section's recursion, yet changes the state only where
 * a section's output gets below kQuietLevel (with its input, in a quiet lane):
 * while a signal decays into silence, or in a lane already silent for good
 * (dead: every section flushed and the input exact zeros, so it stays so). So
 * the chunk is first filtered keeping each lane's smallest output; only if one
 * is tiny in a lane quiet somewhere in the chunk and not dead is the chunk
 * filtered again, from the saved state, with the flush itself. Otherwise the
 * bookkeeping's outcome is set directly: a count restarts at 0 in every lane
 * quiet in the chunk (its input and output were never both tiny), and a dead
 * lane keeps its flushed state.
 */
MIXDOWN_ALWAYS_INLINE void filterQuietChunk(LaneSection* sections, int sectionCount, LaneSection* saved, const Chunk& chunk,
                                            LaneMask quietBefore, LaneMask quietAnywhere) noexcept {
  const Lanes flushAfter = broadcastLanes(kQuietFramesToFlush);
  LaneMask dead = quietBefore;
  for (int frame = 0; frame < chunk.count; ++frame) dead &= chunk.values[frame] == 0.0;
  for (int index = 0; index < sectionCount; ++index) {
    const LaneSection& section = sections[index];
    dead &= (section.s1 == 0.0) & (section.s2 == 0.0) & (section.quietFrames == flushAfter);
    saved[index] = section;
  }
  Lanes input[kChunkFrames];
  for (int frame = 0; frame < chunk.count; ++frame) input[frame] = chunk.values[frame];
  const Lanes smallest = filterCascade<Bookkeeping::Watch>(sections, sectionCount, chunk);
  if (anyLane((smallest < broadcastLanes(kQuietLevel)) & quietAnywhere & ~dead)) {
    for (int frame = 0; frame < chunk.count; ++frame) chunk.values[frame] = input[frame];
    for (int index = 0; index < sectionCount; ++index) sections[index] = saved[index];
    filterCascade<Bookkeeping::Flush>(sections, sectionCount, chunk);
    return;
  }
  for (int index = 0; index < sectionCount; ++index) {
    LaneSection& section = sections[index];
    section.quietFrames = selectLanes(quietAnywhere & ~dead, Lanes{}, section.quietFrames);
    section.s1 = selectLanes(dead, Lanes{}, section.s1);  // +0, as a flush leaves it
    section.s2 = selectLanes(dead, Lanes{}, section.s2);
  }
}

/**
 * The cascade over work's frames, chunk by chunk: the lanes transposed in,
 * the quiet masks of every frame, the sections (filterQuietChunk where some
 * used lane's input is quiet), outputs below kQuietLevel written as 0, the
 * lanes transposed out.
 */
MIXDOWN_ALWAYS_INLINE void filterSteady(const SteadyWork& work) noexcept {
  LaneMask used{};
  for (int lane = 0; lane < work.lanes; ++lane) used[lane] = -1;
  LaneMask quietBefore = *work.quietCountsValid;  // the lanes quiet in the frame before the chunk
  Lanes values[kChunkFrames];
  LaneMask quietInput[kChunkFrames], restart[kChunkFrames];
  // Unused lanes read silence and write to a scratch chunk.
  const float silence[kChunkFrames] = {};
  float scratch[kChunkFrames];
  const float* inputs[kLanes];
  float* outputs[kLanes];
  for (int start = 0; start < work.frames; start += kChunkFrames) {
    const Chunk chunk{values, quietInput, restart, std::min(kChunkFrames, work.frames - start)};
    for (int lane = 0; lane < kLanes; ++lane) {
      inputs[lane] = lane < work.lanes ? work.channels[lane] + start : silence;
      outputs[lane] = lane < work.lanes ? work.channels[lane] + start : scratch;
    }
    lanesFromChannels(inputs, chunk.count, values);
    const LaneMask quietAtStart = quietBefore;
    LaneMask quietAnywhere{};
    for (int frame = 0; frame < chunk.count; ++frame) {
      quietInput[frame] = isQuiet(values[frame]) & used;
      restart[frame] = quietInput[frame] & ~quietBefore;
      quietBefore = quietInput[frame];
      quietAnywhere |= quietInput[frame];
    }
    if (anyLane(quietAnywhere)) filterQuietChunk(work.sections, work.sectionCount, work.saved, chunk, quietAtStart, quietAnywhere);
    else filterCascade<Bookkeeping::None>(work.sections, work.sectionCount, chunk);
    for (int frame = 0; frame < chunk.count; ++frame) values[frame] = selectLanes(isQuiet(values[frame]), Lanes{}, values[frame]);
    channelsFromLanes(values, chunk.count, outputs);
  }
  *work.quietCountsValid = quietBefore;
}

MIXDOWN_TARGET_AVX2 void filterSteadyAvx2(const SteadyWork& work) noexcept { filterSteady(work); }
void filterSteadyBaseline(const SteadyWork& work) noexcept { filterSteady(work); }

}  // namespace

void BiquadCascadeLanes::prepare(int lanes, int sections) {
  assert(lanes >= 1 && lanes <= kLanes && sections >= 0);
  lanes_ = std::clamp(lanes, 1, kLanes);
  LaneSection passThrough{};
  for (int lane = 0; lane < kLanes; ++lane) passThrough.b0[lane] = 1.0;
  sections_.assign(static_cast<size_t>(std::max(sections, 0)), passThrough);
  saved_.resize(sections_.size());
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
  const SteadyWork work{sections_.data(), sections(), saved_.data(), channels, lanes_, frames, &quietCountsValid_};
  runLaneKernel([&] { filterSteadyAvx2(work); }, [&] { filterSteadyBaseline(work); });
}

void BiquadCascadeLanes::processRamping(int lane, float* samples, int frames, BiquadCoefficientRamp* ramps) noexcept {
  assert(lane >= 0 && lane < lanes_);
  quietCountsValid_[lane] = 0;  // no flushing while the filters move
  for (int frame = 0; frame < frames; ++frame) {
    double value = samples[frame];
    for (size_t index = 0; index < sections_.size(); ++index) {
      LaneSection& section = sections_[index];
      double s1 = section.s1[lane], s2 = section.s2[lane];
      value = biquadStep(ramps[index].next(), s1, s2, value);
      section.s1[lane] = s1;
      section.s2[lane] = s2;
    }
    samples[frame] = isQuiet(value) ? 0.0f : static_cast<float>(value);
  }
}

}  // namespace mixdown::dsp
