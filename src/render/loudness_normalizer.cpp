#include "mixdown/render/loudness_normalizer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "mixdown/analysis/loudness_meter.h"
#include "mixdown/audio/decibels.h"
#include "mixdown/dsp/limiter.h"
#include "mixdown/dsp/pan.h"
#include "mixdown/render/render_session.h"

namespace mixdown::render {

namespace {

constexpr int kStereo = 2;
constexpr double kToleranceLu = 0.02;
constexpr int kMaxMeasuringPasses = 16;
// Bounds of the measured d(output loudness) / d(gain) used by the secant steps:
// limiting flattens the slope (each dB of gain adds less than 1 LU), never below 0.05 here.
constexpr double kMinSlope = 0.05;
constexpr double kMaxSlope = 1.0;
// How far a step goes past the only known side of the target when the secant cannot be trusted:
// this, or twice the last step if that is more, so a flat stretch of loudness (only the limited
// peaks of a master whose body is still below the gate) is crossed in a few passes.
constexpr double kBracketExpansionDb = 12.0;
// The loudest sample a master may have and a gain may make, in dBFS: float's largest value (3.4e38)
// is +770.6 dBFS, and the K-weighting's boost and the true-peak interpolator's sums need headroom
// above a sample; the limiter can take it down to any ceiling (LookaheadEnvelope::kMaxReductionDb).
constexpr double kLoudestGainedSampleDbfs = 700.0;
// How far the search may raise the gain above the plain gain (target - input loudness) to make up for
// what the limiter takes. 12 dB covers the loudest masters (a drum loop pushed 20 LU under a -2 dBTP
// ceiling needs 9.6 dB); beyond it the limiter is crushing the master (sparse drum hits over a quiet
// bed were once driven 40 dB past it, to 52 dB of reduction; an unreachable target to +706 dB, a
// square wave), so the target is missed instead, with a warning that says so.
constexpr double kMaxMakeUpDb = 12.0;

struct PassResult {
  double gainDb = 0.0;
  std::optional<double> outputLufs;
  double limiterMaxReductionDb = 0.0;
};

/**
 * gain rounded to float precision (24-bit significand) with its exponent kept: a product with a
 * float sample, formed in double and rounded once to float, is then bit for bit the float product
 * x * float(gain) wherever float(gain) is a normal number, and does not underflow where it is not.
 */
double floatPrecisionGain(double gain) {
  int exponent = 0;
  const double significand = std::frexp(gain, &exponent);
  return std::ldexp(static_cast<double>(static_cast<float>(significand)), exponent);
}

/** One pass: capture * gain through a fresh limiter, latency trimmed, measured; write may be empty. */
PassResult runPass(MasterCapture& capture, double gainDb, const session::Loudness& loudness, int sampleRate,
                   int blockFrames, const std::function<void(ConstAudioBlock)>& write) {
  dsp::LimiterProcessor limiter({loudness.truePeakDbtp, true, loudness.limiterLookaheadMs, loudness.limiterReleaseMs});
  limiter.prepare({static_cast<double>(sampleRate), blockFrames, kStereo});
  limiter.reset();
  analysis::LoudnessMeter meter(kStereo, sampleRate, analysis::LoudnessMeter::Figures::IntegratedOnly);
  const double gain = floatPrecisionGain(audio::dbToGain(gainDb));
  AudioBuffer buffer(kStereo, blockFrames);
  std::int64_t toTrim = limiter.latencyFrames();
  std::int64_t toEmit = capture.frames();
  auto emit = [&](AudioBlock block) {
    limiter.process(block, {}, 0);
    const auto first = static_cast<int>(std::min<std::int64_t>(toTrim, block.frames()));
    toTrim -= first;
    const auto count = static_cast<int>(std::min<std::int64_t>(block.frames() - first, toEmit));
    if (count <= 0) return;
    const ConstAudioBlock out = ConstAudioBlock(block).slice(first, count);
    meter.add(out);
    if (write) write(out);
    toEmit -= count;
  };
  capture.read(blockFrames, [&](ConstAudioBlock in) {
    AudioBlock block = buffer.block(in.frames());
    for (int channel = 0; channel < kStereo; ++channel)
      block.array(channel) = (in.array(channel).cast<double>() * gain).cast<float>();
    emit(block);
  });
  while (toEmit > 0) {  // the limiter's latency: flush it with silence
    AudioBlock block = buffer.block(blockFrames);
    block.clear();
    emit(block);
  }
  return {gainDb, meter.result().integratedLufs, limiter.maxGainReductionDb()};
}

/** Whether a pass has measured below the target (no loudness at all counts as below). */
bool isBelow(const PassResult& pass, double targetLufs) { return !pass.outputLufs || *pass.outputLufs < targetLufs; }

/**
 * The gains known to lie on either side of the target: the highest measured below it and the lowest
 * measured above it (the output's loudness grows with the gain). A step never leaves them.
 */
class GainBracket {
public:
  GainBracket(double targetLufs, double maxGainDb) : targetLufs_(targetLufs), maxGainDb_(maxGainDb) {}

  void add(const PassResult& pass) {
    if (isBelow(pass, targetLufs_)) belowDb_ = std::max(belowDb_, pass.gainDb);
    else aboveDb_ = std::min(aboveDb_, pass.gainDb);
  }
  /** Whether gainDb lies strictly inside the bracket (and at most the largest gain). */
  bool contains(double gainDb) const { return gainDb > belowDb_ && gainDb < aboveDb_ && gainDb <= maxGainDb_; }
  /** The middle of the bracket; with one side known, reachDb beyond it (at most the largest gain). */
  double bisection(double reachDb) const {
    if (foundBelow() && foundAbove()) return 0.5 * (belowDb_ + aboveDb_);
    if (foundAbove()) return aboveDb_ - reachDb;
    return std::min(belowDb_ + reachDb, maxGainDb_);
  }
  bool foundAbove() const { return aboveDb_ < kUnbounded; }

private:
  static constexpr double kUnbounded = std::numeric_limits<double>::infinity();
  bool foundBelow() const { return belowDb_ > -kUnbounded; }

  double targetLufs_;
  double maxGainDb_;
  double belowDb_ = -kUnbounded;  // the highest gain measured below the target
  double aboveDb_ = kUnbounded;   // the lowest gain measured at or above it
};

/** The secant step from previous through latest to the target, or bisection where it would leave the bracket. */
double nextGainDb(const PassResult& previous, const PassResult& latest, const GainBracket& bracket, double targetLufs) {
  if (previous.outputLufs && latest.outputLufs) {
    const double slope = (*latest.outputLufs - *previous.outputLufs) / (latest.gainDb - previous.gainDb);
    if (slope > 0.0) {
      const double stepped = latest.gainDb + (targetLufs - *latest.outputLufs) / std::clamp(slope, kMinSlope, kMaxSlope);
      if (bracket.contains(stepped)) return stepped;
    }
  }
  return bracket.bisection(std::max(kBracketExpansionDb, 2.0 * std::abs(latest.gainDb - previous.gainDb)));
}

/** Whether candidate is nearer the target than best, which has a loudness (a pass without one never is). */
bool isNearer(const PassResult& candidate, const std::optional<PassResult>& best, double targetLufs) {
  if (!candidate.outputLufs) return false;
  return !best || std::abs(*candidate.outputLufs - targetLufs) < std::abs(*best->outputLufs - targetLufs);
}

}  // namespace

NormalizationResult normalizeMaster(MasterCapture& capture, std::optional<double> inputLufs,
                                    const session::Loudness& loudness, int sampleRate, int blockFrames,
                                    const std::function<void(ConstAudioBlock)>& write) {
  NormalizationResult result;
  result.inputLufs = inputLufs;
  const double peakDbfs = audio::gainToDb(static_cast<double>(capture.peakAmplitude()));
  if (peakDbfs > kLoudestGainedSampleDbfs)
    throw RenderError("master.loudness: the master peaks at +" + std::to_string(std::lround(peakDbfs)) +
                      " dBFS, beyond the +" + std::to_string(std::lround(kLoudestGainedSampleDbfs)) +
                      " dBFS that normalisation can measure and limit in float; nothing was written");
  if (inputLufs) {
    const double targetLufs = loudness.targetLufs;
    const double plainGainDb = targetLufs - *inputLufs;
    const double maxGainDb = std::min(kLoudestGainedSampleDbfs - peakDbfs, plainGainDb + kMaxMakeUpDb);
    GainBracket bracket(targetLufs, maxGainDb);
    // Secant steps on output loudness against gain, starting from the unlimited slope 1.
    PassResult previous{0.0, inputLufs, 0.0};
    std::optional<PassResult> best;
    double gainDb = std::min(plainGainDb, maxGainDb);
    for (int pass = 0; pass < kMaxMeasuringPasses; ++pass) {
      const PassResult measured = runPass(capture, gainDb, loudness, sampleRate, blockFrames, {});
      if (isNearer(measured, best, targetLufs)) best = measured;
      if (measured.outputLufs && std::abs(targetLufs - *measured.outputLufs) <= kToleranceLu) break;
      bracket.add(measured);
      const double next = nextGainDb(previous, measured, bracket, targetLufs);
      if (measured.outputLufs) previous = measured;
      if (next == gainDb) break;  // at the largest gain, still short
      gainDb = next;
    }
    if (!best) throw RenderError("master.loudness: no gain tried gives the master a loudness above the -70 LUFS gate");
    result.gainDb = best->gainDb;
    // Short of the target with every gain tried, although the gain alone would have reached it: the limiting.
    result.ceilingBound =
        !bracket.foundAbove() && *best->outputLufs < targetLufs && *inputLufs + best->gainDb >= targetLufs;
  }
  const PassResult final = runPass(capture, result.gainDb, loudness, sampleRate, blockFrames, write);
  result.outputLufs = final.outputLufs;
  result.limiterMaxReductionDb = final.limiterMaxReductionDb;
  if (inputLufs && final.outputLufs) result.limiterLossLu = *inputLufs + result.gainDb - *final.outputLufs;
  return result;
}

}  // namespace mixdown::render
