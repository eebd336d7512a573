#include "mixdown/dsp/eq.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

namespace mixdown::dsp {

namespace {

constexpr double kMinimumQ = 0.001;

// slope (dB/oct) -> sections: 12 -> 1 (the band's own q), 24/36/48 -> 2/3/4 (Butterworth).
int sectionCountForSlope(int slopeDbPerOctave) noexcept { return std::clamp(slopeDbPerOctave / 12, 1, 4); }

bool isPassFilter(BiquadShape shape) noexcept {
  return shape == BiquadShape::Highpass || shape == BiquadShape::Lowpass;
}

int sectionCountForBand(const EqProcessor::Band& band) noexcept {
  return isPassFilter(band.shape) ? sectionCountForSlope(band.slopeDbPerOctave) : 1;
}

/**
 * EQs side by side: the channels of every member, in member order, a lane
 * each, in BiquadCascadeLanes of kLanes lanes (the last may have fewer; a
 * stereo member's channels may fall in two of them, which changes no bit).
 */
class EqLaneBatch final : public LaneBatch {
public:
  /** cascades[lane]: the sections of lane (every lane has as many), in processing order. */
  explicit EqLaneBatch(const std::vector<std::vector<BiquadCoefficients>>& cascades) {
    const auto lanes = static_cast<int>(cascades.size());
    assert(lanes >= 1);
    const auto sections = static_cast<int>(cascades.front().size());
    cascades_.resize(static_cast<size_t>((lanes + kLanes - 1) / kLanes));
    for (size_t cascade = 0; cascade < cascades_.size(); ++cascade)
      cascades_[cascade].prepare(std::min(kLanes, lanes - static_cast<int>(cascade) * kLanes), sections);
    for (int lane = 0; lane < lanes; ++lane) {
      const std::vector<BiquadCoefficients>& cascade = cascades[static_cast<size_t>(lane)];
      assert(static_cast<int>(cascade.size()) == sections && "members of one kind have as many sections");
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

  const GainReductionMeter* gainReductionMeter(int) const noexcept override { return nullptr; }

private:
  std::vector<BiquadCascadeLanes> cascades_;
  std::vector<float*> channels_;  // every member's channels, in lane order (sized once)
};

}  // namespace

double eqDesignFrequencyHz(double frequencyHz, double sampleRate) noexcept {
  const double highestHz = kEqMaximumFrequencyRatio * sampleRate;
  if (!(frequencyHz > kEqMinimumFrequencyHz)) return std::min(kEqMinimumFrequencyHz, highestHz);  // NaN too
  return std::min(frequencyHz, highestHz);
}

EqBandSections designEqBand(const EqProcessor::Band& band, double sampleRate) noexcept {
  const double frequencyHz = eqDesignFrequencyHz(band.frequencyHz, sampleRate);
  const double q = band.q > kMinimumQ ? band.q : kMinimumQ;
  EqBandSections designed;
  designed.count = sectionCountForBand(band);
  if (designed.count == 1) {
    designed.sections[0] = designRbj(band.shape, frequencyHz, q, band.gainDb, sampleRate);
    return designed;
  }
  for (int section = 0; section < designed.count; ++section)
    designed.sections[static_cast<size_t>(section)] =
        designRbj(band.shape, frequencyHz, butterworthSectionQ(2 * designed.count, section + 1), 0.0, sampleRate);
  return designed;
}

void EqProcessor::prepare(const ProcessSpec& spec) {
  assert(spec.channels == 1 || spec.channels == 2);
  sampleRate_ = spec.sampleRate;
  std::vector<BiquadCoefficients> cascade;
  for (const Band& band : params_.bands) {
    const EqBandSections designed = designEqBand(band, spec.sampleRate);
    cascade.insert(cascade.end(), designed.sections.begin(), designed.sections.begin() + designed.count);
  }
  channels_ = std::clamp(spec.channels, 1, 2);
  ramps_.assign(cascade.size(), BiquadCoefficientRamp{});
  for (size_t index = 0; index < cascade.size(); ++index) ramps_[index].snap(cascade[index]);
  channelRamps_ = ramps_;
  cascade_.prepare(channels_, static_cast<int>(cascade.size()));
  setSectionCoefficients();
}

void EqProcessor::reset() noexcept { cascade_.reset(); }

void EqProcessor::retarget(const Params& target, int rampFrames) noexcept {
  size_t section = 0;
  for (size_t index = 0; index < params_.bands.size() && index < target.bands.size(); ++index) {
    Band& band = params_.bands[index];
    band.frequencyHz = target.bands[index].frequencyHz;
    band.gainDb = target.bands[index].gainDb;
    band.q = target.bands[index].q;
    const EqBandSections designed = designEqBand(band, sampleRate_);
    for (int part = 0; part < designed.count && section < ramps_.size(); ++part, ++section)
      ramps_[section].rampTo(designed.sections[static_cast<size_t>(part)], rampFrames);
  }
  if (rampFrames <= 0) setSectionCoefficients();
}

std::optional<LaneBatchOffer> EqProcessor::laneBatchOffer(int inputChannels) const {
  if (inputChannels < 1 || inputChannels > 2) return std::nullopt;
  std::string kind = "eq/";
  kind.append(std::to_string(ramps_.size()));
  return LaneBatchOffer{std::move(kind), &EqProcessor::makeLaneBatch};
}

std::unique_ptr<LaneBatch> EqProcessor::makeLaneBatch(std::vector<LaneBatchMember> members) {
  std::vector<std::vector<BiquadCoefficients>> cascades;  // a lane per channel of every member
  for (const LaneBatchMember& member : members) {
    // Equal kinds: every member is an EqProcessor (the kind names the type).
    const auto& eq = static_cast<const EqProcessor&>(*member.processor);
    std::vector<BiquadCoefficients> cascade;
    for (const BiquadCoefficientRamp& ramp : eq.ramps_) cascade.push_back(ramp.current());
    for (int channel = 0; channel < member.channels; ++channel) cascades.push_back(cascade);
  }
  return std::make_unique<EqLaneBatch>(cascades);
}

void EqProcessor::setSectionCoefficients() noexcept {
  for (int channel = 0; channel < cascade_.lanes(); ++channel)
    for (size_t index = 0; index < ramps_.size(); ++index)
      cascade_.setCoefficients(channel, static_cast<int>(index), ramps_[index].current());
}

void EqProcessor::process(AudioBlock io, ConstAudioBlock, std::int64_t) noexcept {
  if (ramps_.empty()) return;
  assert(io.channels() >= channels_ && "the channels prepared for");
  if (io.channels() < channels_) return;
  // retarget() starts every section's ramp at once and for the same length.
  const int rampingFrames = std::min(io.frames(), ramps_.front().framesLeft());
  if (rampingFrames > 0) {
    for (int channel = 0; channel < channels_; ++channel) {
      std::copy(ramps_.begin(), ramps_.end(), channelRamps_.begin());
      cascade_.processRamping(channel, io.channel(channel), rampingFrames, channelRamps_.data());
    }
    std::copy(channelRamps_.begin(), channelRamps_.end(), ramps_.begin());
    setSectionCoefficients();
  }
  float* channels[kLanes] = {};
  for (int channel = 0; channel < channels_; ++channel) channels[channel] = io.channel(channel) + rampingFrames;
  cascade_.process(channels, io.frames() - rampingFrames);
}

}  // namespace mixdown::dsp
