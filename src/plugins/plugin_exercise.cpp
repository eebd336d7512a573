#include "mixdown/plugins/plugin_exercise.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "mixdown/plugins/lv2_processor.h"

namespace mixdown::plugins {

namespace {

constexpr double kSampleRate = 48000.0;
constexpr int kBlockFrames = 1024;
constexpr int kBlocksPerSecond = 47;  // 47 * 1024 frames: just over 1 s at 48 kHz
constexpr float kNoisePeak = 0.5f;    // -6 dBFS

/** xorshift64*, seeded: the same noise on every run and machine. */
class Noise {
public:
  float next() noexcept {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    const std::uint64_t value = state_ * 0x2545F4914F6CDD1DULL;
    return kNoisePeak * static_cast<float>(static_cast<double>(value >> 11) * 0x1.0p-53 * 2.0 - 1.0);
  }

private:
  std::uint64_t state_ = 0x9E3779B97F4A7C15ULL;
};

double peakDbfs(double peak) { return peak > 0.0 ? 20.0 * std::log10(peak) : -std::numeric_limits<double>::infinity(); }

}  // namespace

PluginExercise exercisePlugin(const std::string& uri) {
  Lv2Processor processor({uri, uri, {}, {}});
  const bool mono = processor.description().mainAudio(true).size() == 1 && processor.description().mainAudio(false).size() == 1;
  const int channels = mono ? 1 : 2;
  processor.prepare(ProcessSpec{kSampleRate, kBlockFrames, channels});
  processor.reset();
  PluginExercise result;
  result.latencyFrames = processor.properties(channels).latencyFrames;
  std::vector<float> samples(static_cast<std::size_t>(channels * kBlockFrames));
  const AudioBlock block(samples.data(), channels, kBlockFrames, kBlockFrames);
  Noise noise;
  double silencePeak = 0.0;
  double noisePeak = 0.0;
  std::int64_t frame = 0;
  auto runBlock = [&](bool noisy, double& peak) {
    for (float& sample : samples) sample = noisy ? noise.next() : 0.0f;
    processor.process(block, ConstAudioBlock(), frame);
    frame += kBlockFrames;
    for (const float sample : samples) {
      if (!std::isfinite(sample)) result.finite = false;
      else peak = std::max(peak, static_cast<double>(std::abs(sample)));
    }
  };
  for (int index = 0; index < kBlocksPerSecond; ++index) runBlock(false, silencePeak);
  for (int index = 0; index < kBlocksPerSecond; ++index) runBlock(true, noisePeak);
  result.latencyChanged = processor.reportedLatencyFrames() != result.latencyFrames;
  processor.reset();
  runBlock(true, noisePeak);
  result.silencePeakDbfs = peakDbfs(silencePeak);
  result.noisePeakDbfs = peakDbfs(noisePeak);
  return result;
}

}  // namespace mixdown::plugins
