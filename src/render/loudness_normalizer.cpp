#include "mixdown/render/loudness_normalizer.h"

#include <algorithm>
#include <cmath>

#include "mixdown/analysis/loudness_meter.h"
#include "mixdown/dsp/limiter.h"
#include "mixdown/dsp/pan.h"

namespace mixdown::render {

namespace {

constexpr int kStereo = 2;
constexpr double kToleranceLu = 0.02;
constexpr int kMaxMeasuringPasses = 8;
// Bounds of the measured d(output loudness) / d(gain) used by the secant steps:
// limiting flattens the slope (each dB of gain adds less than 1 LU), never below 0.05 here.
constexpr double kMinSlope = 0.05;
constexpr double kMaxSlope = 1.0;
constexpr double kLookaheadMs = 1.5;
constexpr double kReleaseMs = 100.0;

struct PassResult {
  std::optional<double> outputLufs;
  double limiterMaxReductionDb = 0.0;
};

/** One pass: capture * gain through a fresh limiter, latency trimmed, measured; write may be empty. */
PassResult runPass(MasterCapture& capture, double gainDb, double ceilingDbtp, int sampleRate, int blockFrames,
                   const std::function<void(ConstAudioBlock)>& write) {
  dsp::LimiterProcessor limiter({ceilingDbtp, true, kLookaheadMs, kReleaseMs});
  limiter.prepare({static_cast<double>(sampleRate), blockFrames, kStereo});
  limiter.reset();
  analysis::LoudnessMeter meter(kStereo, sampleRate, analysis::LoudnessMeter::Figures::IntegratedOnly);
  const auto gain = static_cast<float>(dsp::dbToGain(gainDb));
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
    for (int channel = 0; channel < kStereo; ++channel) block.array(channel) = in.array(channel) * gain;
    emit(block);
  });
  while (toEmit > 0) {  // the limiter's latency: flush it with silence
    AudioBlock block = buffer.block(blockFrames);
    block.clear();
    emit(block);
  }
  return {meter.result().integratedLufs, limiter.maxGainReductionDb()};
}

}  // namespace

NormalizationResult normalizeMaster(MasterCapture& capture, std::optional<double> inputLufs,
                                    const session::Loudness& loudness, int sampleRate, int blockFrames,
                                    const std::function<void(ConstAudioBlock)>& write) {
  NormalizationResult result;
  result.inputLufs = inputLufs;
  if (inputLufs) {
    // Secant steps on output loudness against gain, starting from the unlimited slope 1.
    result.gainDb = loudness.targetLufs - *inputLufs;
    double previousGainDb = 0.0;
    double previousLufs = *inputLufs;
    for (int pass = 0; pass < kMaxMeasuringPasses; ++pass) {
      const PassResult measured = runPass(capture, result.gainDb, loudness.truePeakDbtp, sampleRate, blockFrames, {});
      if (!measured.outputLufs || std::abs(loudness.targetLufs - *measured.outputLufs) <= kToleranceLu) break;
      const double slope = std::clamp((*measured.outputLufs - previousLufs) / (result.gainDb - previousGainDb),
                                      kMinSlope, kMaxSlope);
      previousGainDb = result.gainDb;
      previousLufs = *measured.outputLufs;
      result.gainDb += (loudness.targetLufs - *measured.outputLufs) / slope;
    }
  }
  const PassResult final = runPass(capture, result.gainDb, loudness.truePeakDbtp, sampleRate, blockFrames, write);
  result.outputLufs = final.outputLufs;
  result.limiterMaxReductionDb = final.limiterMaxReductionDb;
  if (inputLufs && final.outputLufs) result.limiterLossLu = *inputLufs + result.gainDb - *final.outputLufs;
  return result;
}

}  // namespace mixdown::render
