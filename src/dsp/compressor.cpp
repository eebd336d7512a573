#include "mixdown/dsp/compressor.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>

#include "mixdown/dsp/chunked_processing.h"
#include "mixdown/dsp/compressor_lanes.h"

namespace mixdown::dsp {

namespace {

/** Moves ramp to target over rampFrames unless it already heads there (steps of 0 would cost per-frame work). */
void rampTo(LinearRamp& ramp, double target, int rampFrames) noexcept {
  if (target != ramp.target() || rampFrames <= 0) ramp.rampTo(target, rampFrames);
}

/** Compressors side by side: one CompressorLanes, a lane per member. */
class CompressorLaneBatch final : public LaneBatch {
public:
  CompressorLaneBatch(std::span<const CompressorLane> lanes, bool rms) : lanes_(lanes, rms) {
    for (size_t member = 0; member < lanes.size(); ++member) meters_[member] = {&lanes_, static_cast<int>(member)};
  }

  void process(std::span<const AudioBlock> blocks) noexcept override { lanes_.process(blocks); }
  const GainReductionMeter* gainReductionMeter(int member) const noexcept override {
    return &meters_[static_cast<size_t>(member)];
  }

private:
  /** A member's meter: its lane's largest gain reduction. */
  struct LaneMeter final : GainReductionMeter {
    const CompressorLanes* lanes = nullptr;
    int lane = 0;
    LaneMeter() = default;
    LaneMeter(const CompressorLanes* of, int index) : lanes(of), lane(index) {}
    double maxGainReductionDb() const noexcept override { return lanes->maxGainReductionDb(lane); }
  };

  CompressorLanes lanes_;
  std::array<LaneMeter, kLanes> meters_;
};

}  // namespace

CompressorProcessor::CompressorProcessor(const Params& params) : params_(params) {}

CompressorProcessor::~CompressorProcessor() = default;

double CompressorProcessor::maxGainReductionDb() const noexcept {
  return laneInUse_ ? lane_->maxGainReductionDb(0) : attenuation_.maxGainReductionDb();
}

bool CompressorProcessor::fitsLane() const noexcept {
  return attenuation_.maxChunkFrames() > 0 && !params_.keyHighpassHz && latencyFrames_ == 0 &&
         attenuation_.computer().ballistics().holdFrames() == 0;
}

CompressorLane CompressorProcessor::lane() const noexcept {
  const LevelDetector& detector = attenuation_.detector();
  const GainComputer& computer = attenuation_.computer();
  CompressorLane lane;
  lane.rmsCoefficient = detector.rmsCoefficient();
  lane.minDb = detector.minDb();
  lane.maxDb = detector.maxDb();
  lane.minLinear = detector.minLinear();
  lane.maxLinear = detector.maxLinear();
  lane.thresholdDb = params_.thresholdDb;
  lane.ratio = params_.ratio;
  lane.kneeDb = params_.kneeDb;
  lane.attenuationLimitDb = computer.params().attenuationLimitDb;
  lane.attackCoefficient = computer.ballistics().attackCoefficient();
  lane.releaseCoefficient = computer.ballistics().releaseCoefficient();
  lane.heldDb = computer.ballistics().held();
  lane.valueDb = computer.ballistics().value();
  lane.largestDb = attenuation_.maxGainReductionDb();
  lane.makeup = makeup_.value();
  lane.mix = mix_.value();
  return lane;
}

std::optional<LaneBatchOffer> CompressorProcessor::laneBatchOffer(int inputChannels) const {
  // A lane keys on two channels at most.
  if (inputChannels < 1 || inputChannels > 2 || !laneInUse_) return std::nullopt;
  return LaneBatchOffer{params_.detector == DetectorMode::Rms ? "compressor/rms" : "compressor/peak",
                        &CompressorProcessor::makeLaneBatch};
}

std::unique_ptr<LaneBatch> CompressorProcessor::makeLaneBatch(std::vector<LaneBatchMember> members) {
  std::vector<CompressorLane> lanes;
  for (const LaneBatchMember& member : members)  // equal kinds: every member is a CompressorProcessor
    lanes.push_back(static_cast<const CompressorProcessor&>(*member.processor).lane());
  const bool rms = static_cast<const CompressorProcessor&>(*members.front().processor).params_.detector == DetectorMode::Rms;
  return std::make_unique<CompressorLaneBatch>(lanes, rms);
}

void CompressorProcessor::prepare(const ProcessSpec& spec) {
  LevelDetector::Params detector;
  detector.mode = params_.detector;
  detector.rmsTimeMs = kRmsTimeMs;
  if (params_.keyHighpassHz)
    detector.filter = DetectorFilter{BiquadShape::Highpass, *params_.keyHighpassHz, kKeyHighpassQ};

  attenuation_.prepare(detector, computerParams(), spec.sampleRate, spec.maxBlockFrames);

  latencyFrames_ = static_cast<int>(std::lround(params_.lookaheadMs * spec.sampleRate / 1000.0));
  delay_ = DelayLine(2, latencyFrames_);  // processors see 1 or 2 channels
  gain_.assign(static_cast<size_t>(attenuation_.maxChunkFrames()), 1.0f);
  lane_ = std::make_unique<CompressorLanes>();
  reset();
}

GainComputer::Params CompressorProcessor::computerParams() const noexcept {
  GainComputer::Params computer;
  computer.curve = GainCurve::Compressor;
  computer.thresholdDb = params_.thresholdDb;
  computer.ratio = params_.ratio;
  computer.kneeDb = params_.kneeDb;
  computer.attackMs = params_.attackMs;
  computer.releaseMs = params_.releaseMs;
  return computer;
}

void CompressorProcessor::reset() noexcept {
  attenuation_.reset();
  delay_.reset();
  makeup_.snap(makeupGain());
  mix_.snap(params_.mix);
  laneInUse_ = lane_ && fitsLane();
  laneStarted_ = false;
  if (laneInUse_) {
    const CompressorLane own = lane();
    *lane_ = CompressorLanes(std::span<const CompressorLane>(&own, 1), params_.detector == DetectorMode::Rms);
  }
}

void CompressorProcessor::retarget(const Params& target, int rampFrames) noexcept {
  assert(target.detector == params_.detector && target.lookaheadMs == params_.lookaheadMs &&
         target.keyHighpassHz == params_.keyHighpassHz && "detector, lookahead and key highpass stay as prepared");
  params_.thresholdDb = target.thresholdDb;
  params_.ratio = target.ratio;
  params_.attackMs = target.attackMs;
  params_.releaseMs = target.releaseMs;
  params_.kneeDb = target.kneeDb;
  params_.makeupDb = target.makeupDb;
  params_.mix = target.mix;
  // Automation retargets before the first block after prepare() or reset() (AutomatedProcessor), so the
  // scalar path, which follows moving parameters, takes over from an untouched lane.
  assert(!laneStarted_ && "retargeted before the first block");
  laneInUse_ = false;
  if (attenuation_.maxChunkFrames() == 0) return;  // not prepared: prepare() reads params_
  attenuation_.retune(computerParams());
  rampTo(makeup_, makeupGain(), rampFrames);
  rampTo(mix_, params_.mix, rampFrames);
}

void CompressorProcessor::process(AudioBlock io, ConstAudioBlock key, std::int64_t) noexcept {
  assert(key.empty() || key.frames() == io.frames());
  assert(attenuation_.maxChunkFrames() > 0 && "prepare() before process()");
  if (attenuation_.maxChunkFrames() <= 0) return;
  if (laneInUse_) {
    if (key.empty()) {
      laneStarted_ = true;
      lane_->process(std::span<const AudioBlock>(&io, 1));
      return;
    }
    assert(!laneStarted_ && "a compressor keyed from its first block on");
    laneInUse_ = false;  // a routed key: the scalar path, for good
  }
  // Chunks fit the scratch; every state is per frame, so the split never changes the output.
  forEachChunkKeyedOrSelfKeyed(io, key, attenuation_.maxChunkFrames(),
                              [this](AudioBlock chunk, ConstAudioBlock keyChunk) { processChunk(chunk, keyChunk); });
}

void CompressorProcessor::processChunk(AudioBlock io, ConstAudioBlock key) noexcept {
  // 1. Level of the (undelayed) key, then the gain of every frame.
  if (makeup_.isRamping() || mix_.isRamping()) {
    attenuation_.process(key, [&](int frame, double attenuationGain) {
      const double mix = mix_.next();
      gain_[static_cast<size_t>(frame)] = static_cast<float>(compressorOutputGain(attenuationGain, mix, makeup_.next()));
    });
  } else {
    const double makeup = makeup_.value();
    const double mix = mix_.value();
    attenuation_.process(key, [&](int frame, double attenuationGain) {
      gain_[static_cast<size_t>(frame)] = static_cast<float>(compressorOutputGain(attenuationGain, mix, makeup));
    });
  }
  // 2. Delay the signal against its gain (lookahead), then apply the gain.
  delay_.process(io);
  const ConstChannelArray gain(gain_.data(), io.frames());
  for (int channel = 0; channel < io.channels(); ++channel) io.array(channel) *= gain;
}

}  // namespace mixdown::dsp
