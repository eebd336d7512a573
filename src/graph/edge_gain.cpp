#include "mixdown/graph/edge_gain.h"

#include <algorithm>

#include "mixdown/audio/decibels.h"

namespace mixdown::graph {

namespace {

dsp::StereoGains placementAt(const EdgeGain& gain, double pan) {
  switch (gain.placement) {
    case EdgeGain::Placement::Unity: return dsp::StereoGains{};
    case EdgeGain::Placement::MonoPan: return dsp::monoPanGains(pan, gain.panLaw);
    case EdgeGain::Placement::Balance: return dsp::balanceGains(pan);
  }
  return dsp::StereoGains{};
}

}  // namespace

bool EdgeGain::automated() const noexcept {
  return (levelDb != nullptr && !levelDb->isConstant()) || needsFaderValues() || needsPanValues();
}

StereoFactors EdgeGain::constant() const {
  const double level = (levelDb != nullptr ? audio::dbToGain(levelDb->valueAt(0)) : 1.0) *
                       (faderDb != nullptr ? audio::dbToGain(faderDb->valueAt(0)) : 1.0);
  const dsp::StereoGains gains = placementAt(*this, pan != nullptr ? pan->valueAt(0) : fixedPan);
  return {static_cast<float>(gains.left * level), static_cast<float>(gains.right * level)};
}

void EdgeGain::fill(std::int64_t sessionFrame, int frames, NodeCurveValues node, double* levelScratch, float* left,
                    float* right) const {
  const auto count = static_cast<size_t>(frames);
  if (levelDb != nullptr) {
    levelDb->render(sessionFrame, frames, levelScratch);
    for (size_t frame = 0; frame < count; ++frame) levelScratch[frame] = audio::dbToGain(levelScratch[frame]);
  } else {
    std::fill(levelScratch, levelScratch + count, 1.0);
  }
  const double constantFader = faderDb != nullptr && !needsFaderValues() ? audio::dbToGain(faderDb->valueAt(0)) : 1.0;
  const double constantPan = pan != nullptr && !needsPanValues() ? pan->valueAt(0) : fixedPan;
  for (size_t frame = 0; frame < count; ++frame) {
    const double level = levelScratch[frame] * (needsFaderValues() ? node.faderGains[frame] : constantFader);
    const dsp::StereoGains gains = placementAt(*this, needsPanValues() ? node.pans[frame] : constantPan);
    left[frame] = static_cast<float>(gains.left * level);
    right[frame] = static_cast<float>(gains.right * level);
  }
}

void placeStereo(ConstAudioBlock chain, AudioBlock out, StereoFactors factors) {
  const int last = chain.channels() - 1;
  out.array(0) = chain.array(0) * factors.left;
  out.array(1) = chain.array(last) * factors.right;
}

void addPlaced(ConstAudioBlock chain, AudioBlock sum, StereoFactors factors) {
  const int last = chain.channels() - 1;
  sum.array(0) += chain.array(0) * factors.left;
  sum.array(1) += chain.array(last) * factors.right;
}

void placeVarying(ConstAudioBlock chain, AudioBlock out, const float* left, const float* right) {
  const int last = chain.channels() - 1;
  out.array(0) = chain.array(0) * Eigen::Map<const Eigen::ArrayXf>(left, chain.frames());
  out.array(1) = chain.array(last) * Eigen::Map<const Eigen::ArrayXf>(right, chain.frames());
}

float placedPeak(ConstAudioBlock chain, StereoFactors factors) {
  const int last = chain.channels() - 1;
  const float peak = (chain.array(0) * factors.left).abs().maxCoeff();
  return std::max(peak, (chain.array(last) * factors.right).abs().maxCoeff());
}

}  // namespace mixdown::graph
