#include "mixdown/dsp/compressor_lanes.h"

#include <algorithm>
#include <cassert>

#include "mixdown/dsp/denormal_guard.h"
#include "mixdown/dsp/fast_math.h"

namespace mixdown::dsp {

namespace {

constexpr int kChunkFrames = 64;  // frames transposed into lanes at a time
constexpr int kInterleaved = 4;   // frames (or packs of frames) whose logarithm or gain series run interleaved
constexpr int kPackedFrames = kLanes * kInterleaved;  // a lone lane's frames, kLanes to a Lanes

struct CompressWork {
  CompressorLanes::State* state;
  const AudioBlock* blocks;
  int lanes;
  int frames;
  bool rms;
};

/** The compressor curve of levelDb, limited to attenuationLimitDb, lane by lane. */
MIXDOWN_ALWAYS_INLINE Lanes attenuationOf(const CompressorLanes::State& s, Lanes levelDb) noexcept {
  return compressorCurveDb(levelDb, s.thresholdDb, s.slope, s.kneeDb, s.attenuationLimitDb);
}

/**
 * The compression of work's frames, chunk by chunk, in passes: the linked key
 * level (LevelDetector::processFrames, meanSquareStep) and the compressor
 * curve (compressorCurveDb), which frames do not share; the ballistics
 * (ballisticsStep), the one recursion; the gain (fastDbToGain and
 * compressorOutputGain), applied to every channel. The kernels are the scalar
 * code's; the level's logarithm and its clamp are LevelDetector's expression,
 * with selects where it branches.
 *
 * A level at or below the detector's floor (minLinear, 1 dB under the knee)
 * reads minDb without a logarithm, in the scalar code too, so its attenuation
 * is one value per lane (atFloor), computed once per call with the same
 * expression: the curve runs only on frames where some lane is above its
 * floor, listed without a branch.
 */
MIXDOWN_ALWAYS_INLINE void compress(const CompressWork& work) noexcept {
  CompressorLanes::State& s = *work.state;
  const Lanes levelPerLog2 = broadcastLanes(work.rms ? 10.0 * kLog10Of2 : 20.0 * kLog10Of2);
  const Lanes rmsInput = 1.0 - s.rmsCoefficient;
  const Lanes atFloor = attenuationOf(s, s.minDb);
  // A lone lane: every lane holds its settings (CompressorLanes repeats its last lane), so for the curve and
  // the gains, which frames do not share, a Lanes can hold four of its frames instead.
  const bool packFrames = work.lanes == 1;
  Lanes meanSquare0 = s.meanSquare[0], meanSquare1 = s.meanSquare[1];
  Lanes held = s.heldDb, value = s.valueDb, largest = s.largestDb;
  Lanes key0[kChunkFrames], key1[kChunkFrames], attenuation[kChunkFrames];
  int aboveFloor[kChunkFrames];
  // Per lane, the chunk's gains as floats; lanes without a track read silence and write to scratch.
  float gains[kLanes][kChunkFrames];
  float* gainRows[kLanes] = {gains[0], gains[1], gains[2], gains[3]};
  const float silence[kChunkFrames] = {};
  const float* left[kLanes];
  const float* right[kLanes];
  for (int start = 0; start < work.frames; start += kChunkFrames) {
    const int count = std::min(kChunkFrames, work.frames - start);
    for (int lane = 0; lane < kLanes; ++lane) {
      const AudioBlock* block = lane < work.lanes ? &work.blocks[lane] : nullptr;
      left[lane] = block ? block->channel(0) + start : silence;
      right[lane] = block && block->channels() > 1 ? block->channel(1) + start : silence;
    }
    lanesFromChannels(left, count, key0);
    lanesFromChannels(right, count, key1);
    // 1. Level, into key0: the loudest channel's peak or mean square (a mono lane's second channel is 0).
    int aboveFloorCount = 0;
    for (int frame = 0; frame < count; ++frame) {
      Lanes level;
      if (work.rms) {
        meanSquareStep(meanSquare0, s.rmsCoefficient, rmsInput, key0[frame]);
        meanSquareStep(meanSquare1, s.rmsCoefficient, rmsInput, key1[frame]);
        level = selectLanes(Lanes{} < meanSquare0, meanSquare0, Lanes{});
        level = selectLanes(level < meanSquare1, meanSquare1, level);
      } else {
        const Lanes peak0 = absLanes(key0[frame]), peak1 = absLanes(key1[frame]);
        level = selectLanes(Lanes{} < peak0, peak0, Lanes{});
        level = selectLanes(level < peak1, peak1, level);
      }
      key0[frame] = level;
      attenuation[frame] = atFloor;
      aboveFloor[aboveFloorCount] = frame;
      aboveFloorCount += anyLane(~(level <= s.minLinear)) ? 1 : 0;
    }
    // 2. The static curve, where some lane is above its floor: the attenuation each frame aims at
    //    (kInterleaved listed frames' logarithms at a time, the last ones one by one).
    const auto curveOf = [&](Lanes level, Lanes log2Level) {
      return attenuationOf(s, selectLanes(level <= s.minLinear, s.minDb, selectLanes(level >= s.maxLinear, s.maxDb, levelPerLog2 * log2Level)));
    };
    int listed = 0;
    if (packFrames) {
      for (; listed + kPackedFrames <= aboveFloorCount; listed += kPackedFrames) {
        Lanes levels[kInterleaved], logs[kInterleaved];
        for (int k = 0; k < kInterleaved; ++k)
          for (int lane = 0; lane < kLanes; ++lane) levels[k][lane] = key0[aboveFloor[listed + k * kLanes + lane]][0];
        std::copy(levels, levels + kInterleaved, logs);
        fastLog2Lanes(logs);
        for (int k = 0; k < kInterleaved; ++k) {
          const Lanes aimed = curveOf(levels[k], logs[k]);
          for (int lane = 0; lane < kLanes; ++lane) attenuation[aboveFloor[listed + k * kLanes + lane]][0] = aimed[lane];
        }
      }
    }
    for (; listed + kInterleaved <= aboveFloorCount; listed += kInterleaved) {
      Lanes logs[kInterleaved];
      for (int k = 0; k < kInterleaved; ++k) logs[k] = key0[aboveFloor[listed + k]];
      fastLog2Lanes(logs);
      for (int k = 0; k < kInterleaved; ++k) attenuation[aboveFloor[listed + k]] = curveOf(key0[aboveFloor[listed + k]], logs[k]);
    }
    for (; listed < aboveFloorCount; ++listed)
      attenuation[aboveFloor[listed]] = curveOf(key0[aboveFloor[listed]], fastLog2Lanes(key0[aboveFloor[listed]]));
    // 3. Ballistics (no hold), the one recursion, and 4. the gain of every frame (fastDbToGain and the
    //    output mix), kInterleaved frames' series at a time. Each group of frames gets its gains while the
    //    next group's ballistics run: the two are independent, so the core overlaps the series with the
    //    recursion's latency. A lone lane gets its gains after its ballistics, packed. The last frames of a
    //    chunk that fill no group get theirs one by one.
    const Lanes mix = s.mix, makeup = s.makeup;
    const auto ballistics = [&](int frame) {
      ballisticsStep(attenuation[frame], held, value, s.attackCoefficient, s.releaseCoefficient);
      largest = selectLanes(largest < value, value, largest);
      attenuation[frame] = value;
    };
    const auto gainsFrom = [&](int first) {
      Lanes exponents[kInterleaved];
      for (int k = 0; k < kInterleaved; ++k) exponents[k] = -attenuation[first + k] * (kLog2Of10 / 20.0);
      fastExp2Lanes(exponents);
      for (int k = 0; k < kInterleaved; ++k) attenuation[first + k] = compressorOutputGain(exponents[k], mix, makeup);
    };
    int withGains = 0;  // frames [0, withGains) hold gains
    if (packFrames) {
      for (int frame = 0; frame < count; ++frame) ballistics(frame);
      for (; withGains + kPackedFrames <= count; withGains += kPackedFrames) {
        Lanes exponents[kInterleaved];
        for (int k = 0; k < kInterleaved; ++k)
          for (int lane = 0; lane < kLanes; ++lane) exponents[k][lane] = -attenuation[withGains + k * kLanes + lane][0] * (kLog2Of10 / 20.0);
        fastExp2Lanes(exponents);
        for (int k = 0; k < kInterleaved; ++k) {
          const Lanes gain = compressorOutputGain(exponents[k], mix, makeup);
          for (int lane = 0; lane < kLanes; ++lane) attenuation[withGains + k * kLanes + lane][0] = gain[lane];
        }
      }
    } else {
      const int groups = count / kInterleaved;
      for (int group = 0; group < groups; ++group) {
        for (int k = 0; k < kInterleaved; ++k) ballistics(group * kInterleaved + k);
        if (group > 0) gainsFrom((group - 1) * kInterleaved);
      }
      for (int frame = groups * kInterleaved; frame < count; ++frame) ballistics(frame);
      if (groups > 0) gainsFrom((groups - 1) * kInterleaved);
      withGains = groups * kInterleaved;
    }
    for (int frame = withGains; frame < count; ++frame) attenuation[frame] = compressorOutputGain(fastDbToGainLanes(-attenuation[frame]), mix, makeup);
    channelsFromLanes(attenuation, count, gainRows);
    for (int lane = 0; lane < work.lanes; ++lane) {
      const AudioBlock& block = work.blocks[lane];
      for (int channel = 0; channel < block.channels(); ++channel) {
        float* samples = block.channel(channel) + start;
        for (int frame = 0; frame < count; ++frame) samples[frame] *= gains[lane][frame];
      }
    }
  }
  s.meanSquare[0] = meanSquare0;
  s.meanSquare[1] = meanSquare1;
  s.heldDb = held;
  s.valueDb = value;
  s.largestDb = largest;
}

MIXDOWN_TARGET_AVX2 void compressAvx2(const CompressWork& work) noexcept { compress(work); }
void compressBaseline(const CompressWork& work) noexcept { compress(work); }

}  // namespace

CompressorLanes::CompressorLanes(std::span<const CompressorLane> lanes, bool rms) noexcept
    : lanes_(static_cast<int>(std::min<size_t>(lanes.size(), kLanes))), rms_(rms) {
  assert(!lanes.empty() && lanes.size() <= static_cast<size_t>(kLanes));
  // Every setting and state that passes from a lane's compressor to its lane unchanged.
  struct Copied {
    double CompressorLane::*setting;
    Lanes State::*lanesOf;
  };
  constexpr Copied kCopied[] = {
      {&CompressorLane::rmsCoefficient, &State::rmsCoefficient},
      {&CompressorLane::minDb, &State::minDb},
      {&CompressorLane::maxDb, &State::maxDb},
      {&CompressorLane::minLinear, &State::minLinear},
      {&CompressorLane::maxLinear, &State::maxLinear},
      {&CompressorLane::thresholdDb, &State::thresholdDb},
      {&CompressorLane::kneeDb, &State::kneeDb},
      {&CompressorLane::attenuationLimitDb, &State::attenuationLimitDb},
      {&CompressorLane::attackCoefficient, &State::attackCoefficient},
      {&CompressorLane::releaseCoefficient, &State::releaseCoefficient},
      {&CompressorLane::heldDb, &State::heldDb},
      {&CompressorLane::valueDb, &State::valueDb},
      {&CompressorLane::largestDb, &State::largestDb},
      {&CompressorLane::makeup, &State::makeup},
      {&CompressorLane::mix, &State::mix}};
  for (int lane = 0; lane < kLanes; ++lane) {
    const CompressorLane& from = lanes[static_cast<size_t>(std::min(lane, lanes_ - 1))];
    for (const auto& [setting, lanesOf] : kCopied) (state_.*lanesOf)[lane] = from.*setting;
    state_.slope[lane] = compressorSlope(from.ratio);
    state_.meanSquare[0][lane] = state_.meanSquare[1][lane] = 0.0;
  }
}

void CompressorLanes::process(std::span<const AudioBlock> blocks) noexcept {
  assert(static_cast<int>(blocks.size()) == lanes_);
  if (blocks.empty() || static_cast<int>(blocks.size()) != lanes_) return;
  const CompressWork work{&state_, blocks.data(), lanes_, blocks.front().frames(), rms_};
  runLaneKernel([&] { compressAvx2(work); }, [&] { compressBaseline(work); });
}

}  // namespace mixdown::dsp
