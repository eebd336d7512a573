#include "mixdown/dsp/lane_batch.h"

#include <algorithm>
#include <cassert>
#include <vector>

#include "mixdown/dsp/biquad_lanes.h"
#include "mixdown/dsp/compressor_lanes.h"
#include "mixdown/dsp/eq.h"

namespace mixdown::dsp {

namespace {

/**
 * EQs side by side: the channels of every member, in member order, a lane
 * each, in BiquadCascadeLanes of kLanes lanes (the last may have fewer; a
 * stereo member's channels may fall in two of them, which changes no bit).
 */
class EqLaneBatch final : public LaneBatch {
public:
  EqLaneBatch(std::span<const Processor* const> members, std::span<const int> channels) {
    int lanes = 0;
    for (int count : channels) lanes += count;
    assert(lanes >= 1);
    const auto sections = static_cast<int>(dynamic_cast<const EqProcessor&>(*members.front()).sectionCoefficients().size());
    cascades_.resize(static_cast<size_t>((lanes + kLanes - 1) / kLanes));
    for (size_t cascade = 0; cascade < cascades_.size(); ++cascade)
      cascades_[cascade].prepare(std::min(kLanes, lanes - static_cast<int>(cascade) * kLanes), sections);
    int lane = 0;
    for (size_t member = 0; member < members.size(); ++member) {
      const std::vector<BiquadCoefficients> cascade = dynamic_cast<const EqProcessor&>(*members[member]).sectionCoefficients();
      assert(static_cast<int>(cascade.size()) == sections && "members of one key have as many sections");
      for (int channel = 0; channel < channels[member]; ++channel, ++lane)
        for (int section = 0; section < sections; ++section)
          cascades_[static_cast<size_t>(lane / kLanes)].setCoefficients(lane % kLanes, section, cascade[static_cast<size_t>(section)]);
    }
    channels_.resize(static_cast<size_t>(lanes));
  }

  void process(std::span<const AudioBlock> blocks) noexcept override {
    size_t lane = 0;
    for (const AudioBlock& block : blocks)
      for (int channel = 0; channel < block.channels() && lane < channels_.size(); ++channel) channels_[lane++] = block.channel(channel);
    assert(lane == channels_.size() && "the channels the batch was made for");
    if (lane != channels_.size() || blocks.empty()) return;
    for (size_t cascade = 0; cascade < cascades_.size(); ++cascade)
      cascades_[cascade].process(channels_.data() + cascade * kLanes, blocks.front().frames());
  }

  double maxGainReductionDb(int) const noexcept override { return 0.0; }

private:
  std::vector<BiquadCascadeLanes> cascades_;
  std::vector<float*> channels_;  // every member's channels, in lane order (sized once)
};

/** Compressors side by side: one CompressorLanes, a lane per member. */
class CompressorLaneBatch final : public LaneBatch {
public:
  CompressorLaneBatch(std::span<const CompressorLane> lanes, bool rms) : lanes_(lanes, rms) {}

  void process(std::span<const AudioBlock> blocks) noexcept override { lanes_.process(blocks); }
  double maxGainReductionDb(int member) const noexcept override { return lanes_.maxAttenuationDb(member); }

private:
  CompressorLanes lanes_;
};

std::string compressorKey(const CompressorProcessor& compressor) {
  return compressor.params().detector == DetectorMode::Rms ? "compressor/rms" : "compressor/peak";
}

}  // namespace

std::optional<std::string> laneBatchKey(const Processor& processor) {
  // An automated EQ is another type (AutomatedProcessor<EqProcessor>) and stays out.
  if (const auto* eq = dynamic_cast<const EqProcessor*>(&processor))
    return "eq/" + std::to_string(eq->sectionCoefficients().size());
  if (const auto* compressor = dynamic_cast<const CompressorProcessor*>(&processor))
    if (fitsCompressorLane(*compressor)) return compressorKey(*compressor);
  return std::nullopt;
}

std::unique_ptr<LaneBatch> makeLaneBatch(std::span<const Processor* const> members, std::span<const int> channels) {
  assert(!members.empty() && members.size() == channels.size());
  if (dynamic_cast<const EqProcessor*>(members.front())) return std::make_unique<EqLaneBatch>(members, channels);
  if (const auto* first = dynamic_cast<const CompressorProcessor*>(members.front())) {
    std::vector<CompressorLane> lanes;
    for (const Processor* member : members) lanes.push_back(CompressorLane::of(dynamic_cast<const CompressorProcessor&>(*member)));
    return std::make_unique<CompressorLaneBatch>(lanes, first->params().detector == DetectorMode::Rms);
  }
  return nullptr;
}

}  // namespace mixdown::dsp
