#include "mixdown/dsp/reverb.h"

#include <algorithm>
#include <cassert>
#include <cfloat>
#include <cmath>
#include <vector>

#include "mixdown/dsp/chunked_processing.h"

namespace mixdown::dsp {

namespace {

constexpr int kDiffuserStages = 8;
struct DiffuserStageDesign {
  double lengthMs;  // at size 1
  float gain;
};
// Input diffusion: four short stages (0.8 .. 2.3 ms at size 1, g = 0.7) that make the onset
// dense within a few milliseconds, then Dattorro's (JAES 1997) two at g = 0.75 and two longer at
// g = 0.625; the right channel's lengths are about 9 % shorter.
constexpr std::array<std::array<DiffuserStageDesign, kDiffuserStages>, 2> kDiffuserDesigns = {{
    {{{0.83, 0.7f}, {1.19, 0.7f}, {1.63, 0.7f}, {2.29, 0.7f},
      {4.77, 0.75f}, {3.59, 0.75f}, {12.73, 0.625f}, {9.30, 0.625f}}},
    {{{0.76, 0.7f}, {1.09, 0.7f}, {1.49, 0.7f}, {2.09, 0.7f},
      {4.35, 0.75f}, {3.27, 0.75f}, {11.59, 0.625f}, {8.47, 0.625f}}},
}};

/** RT60 above the damping crossover. */
double highDecayS(const ReverbProcessor::Params& params) {
  return params.decayS * (1.0 - ReverbProcessor::kDampingDepth * params.damping);
}

bool isPrime(int value) {
  if (value < 2) return false;
  for (int divisor = 2; divisor * divisor <= value; ++divisor)
    if (value % divisor == 0) return false;
  return true;
}

/** The smallest prime >= atLeast (and >= 2) not in used; appends it to used. */
int takeUnusedPrime(double atLeast, std::vector<int>& used) {
  int value = std::max(2, static_cast<int>(std::lround(atLeast)));
  while (!isPrime(value) || std::find(used.begin(), used.end(), value) != used.end()) ++value;
  used.push_back(value);
  return value;
}

}  // namespace

void ReverbProcessor::prepare(const ProcessSpec& spec) {
  const double sampleRate = spec.sampleRate;
  const double roomScale = kSmallestRoomScale + (1.0 - kSmallestRoomScale) * params_.size;
  const double framesPerMs = roomScale * sampleRate / 1000.0;
  std::vector<int> usedLengths;

  FeedbackDelayNetwork::Design network;
  constexpr int kLines = FeedbackDelayNetwork::kLineCount;
  for (int line = 0; line < kLines; ++line) {
    const double lengthMs = kShortestLineMs * std::pow(kLongestLineMs / kShortestLineMs, line / (kLines - 1.0));
    network.delayFrames[static_cast<std::size_t>(line)] = takeUnusedPrime(lengthMs * framesPerMs, usedLengths);
  }
  network.lowDecayS = params_.decayS;
  network.highDecayS = highDecayS(params_);
  network.crossoverHz = std::min(kDampingCrossoverHz, 0.4 * sampleRate);
  network.sampleRate = sampleRate;
  network_.prepare(network);

  for (std::size_t channel = 0; channel < 2; ++channel) {
    std::vector<AllpassDiffuser::Stage> stages;
    for (const DiffuserStageDesign& design : kDiffuserDesigns[channel])
      stages.push_back({takeUnusedPrime(design.lengthMs * framesPerMs, usedLengths), design.gain});
    diffusers_[channel].prepare(stages);
  }

  const int predelayFrames = static_cast<int>(std::lround(params_.predelayMs * sampleRate / 1000.0));
  predelay_ = DelayLine(2, predelayFrames);
  wet_ = AudioBuffer(2, kChunkFrames);

  const int diffuserRingFrames =
      std::max(diffusers_[0].ringFrames(kTailLevelDb), diffusers_[1].ringFrames(kTailLevelDb));
  // The slowest decay is below the crossover: 60 dB in decayS.
  const auto networkFrames = static_cast<int>(std::ceil(kTailLevelDb / 60.0 * params_.decayS * sampleRate));
  tailFrames_ = predelayFrames + diffuserRingFrames + networkFrames;
  reset();
}

void ReverbProcessor::reset() noexcept {
  predelay_.reset();
  for (AllpassDiffuser& diffuser : diffusers_) diffuser.reset();
  network_.reset();
  dryGain_.snap(1.0 - params_.mix);
  wetGain_.snap(params_.mix);
  sameSide_.snap((1.0 + params_.width) / 2.0);
  otherSide_.snap((1.0 - params_.width) / 2.0);
}

void ReverbProcessor::retarget(const Params& target, int rampFrames) noexcept {
  params_.decayS = target.decayS;
  params_.damping = target.damping;
  params_.width = target.width;
  params_.mix = target.mix;
  network_.setDecay(params_.decayS, highDecayS(params_), rampFrames);
  dryGain_.rampTo(1.0 - params_.mix, rampFrames);
  wetGain_.rampTo(params_.mix, rampFrames);
  sameSide_.rampTo((1.0 + params_.width) / 2.0, rampFrames);
  otherSide_.rampTo((1.0 - params_.width) / 2.0, rampFrames);
}

void ReverbProcessor::process(AudioBlock io, ConstAudioBlock key, std::int64_t) noexcept {
  assert(io.channels() == 2 && "the graph makes the reverb's input stereo");
  assert(wet_.capacityFrames() == kChunkFrames && "prepare() before process()");
  if (io.channels() != 2 || wet_.capacityFrames() != kChunkFrames) return;
  // Every state advances frame by frame, so the chunking never changes the output.
  forEachChunk(io, key, kChunkFrames, [this](AudioBlock chunk, ConstAudioBlock) { processChunk(chunk); });
}

void ReverbProcessor::processChunk(AudioBlock io) noexcept {
  const int frames = io.frames();
  AudioBlock wet = wet_.block(frames);
  for (int channel = 0; channel < 2; ++channel) wet.array(channel) = io.array(channel);
  predelay_.process(wet);
  diffusers_[0].process(wet.channel(0), frames);
  diffusers_[1].process(wet.channel(1), frames);
  network_.process(wet.channel(0), wet.channel(1), frames);

  float dryGain = 0.0f, wetGain = 0.0f, sameSide = 0.0f, otherSide = 0.0f;
  // A wet sample scaled below FLT_MIN (a tiny mix) becomes 0, never a subnormal.
  auto scaledWet = [&wetGain](float sample) {
    const float scaled = wetGain * sample;
    return std::abs(scaled) < FLT_MIN ? 0.0f : scaled;
  };
  float* left = io.channel(0);
  float* right = io.channel(1);
  const float* wetLeft = wet.channel(0);
  const float* wetRight = wet.channel(1);
  bool fetch = true;  // the gains may differ from the last frame's
  for (int frame = 0; frame < frames; ++frame) {
    if (fetch) {
      fetch = dryGain_.isRamping();
      dryGain = static_cast<float>(dryGain_.next());
      wetGain = static_cast<float>(wetGain_.next());
      sameSide = static_cast<float>(sameSide_.next());
      otherSide = static_cast<float>(otherSide_.next());
    }
    const float wideLeft = sameSide * wetLeft[frame] + otherSide * wetRight[frame];
    const float wideRight = otherSide * wetLeft[frame] + sameSide * wetRight[frame];
    left[frame] = dryGain * left[frame] + scaledWet(wideLeft);
    right[frame] = dryGain * right[frame] + scaledWet(wideRight);
  }
}

}  // namespace mixdown::dsp
