#include "mixdown/dsp/dynamic_eq.h"

#include <algorithm>
#include <cassert>
#include <cfloat>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "mixdown/dsp/chunked_processing.h"

namespace mixdown::dsp {

namespace {

constexpr double kButterworthQ = 0.7071067811865476;

DetectorFilter detectionFilter(const DynamicEqProcessor::Band& band) {
  switch (band.shape) {
    case BiquadShape::LowShelf: return {BiquadShape::Lowpass, band.frequencyHz, kButterworthQ};
    case BiquadShape::HighShelf: return {BiquadShape::Highpass, band.frequencyHz, kButterworthQ};
    default: return {BiquadShape::Bandpass, band.frequencyHz, band.q};
  }
}

/** The band's gain computer: the compressor curve (hard knee) limited to |rangeDb|. */
GainComputer::Params computerParams(const DynamicEqProcessor::Band& band) noexcept {
  GainComputer::Params computer;
  computer.curve = GainCurve::Compressor;
  computer.thresholdDb = band.thresholdDb;
  computer.ratio = std::max(band.ratio, 1.0);
  computer.attenuationLimitDb = std::abs(band.rangeDb);
  computer.attackMs = band.attackMs;
  computer.releaseMs = band.releaseMs;
  return computer;
}

}  // namespace

DynamicEqProcessor::DynamicEqProcessor(Params params) : params_(std::move(params)) {
  for (size_t index = 0; index < params_.bands.size(); ++index) {
    const BiquadShape shape = params_.bands[index].shape;
    if (shape != BiquadShape::Peak && shape != BiquadShape::LowShelf && shape != BiquadShape::HighShelf)
      throw std::invalid_argument("dynamic EQ band " + std::to_string(index) +
                                  ": only peak, low_shelf and high_shelf bands have a gain that can move");
  }
}

void DynamicEqProcessor::prepare(const ProcessSpec& spec) {
  sampleRate_ = spec.sampleRate;
  states_.assign(params_.bands.size(), BandState{});
  for (size_t index = 0; index < params_.bands.size(); ++index) {
    const Band& band = params_.bands[index];
    if (!(band.frequencyHz > 0.0 && band.frequencyHz < spec.sampleRate / 2.0))
      throw std::invalid_argument("dynamic EQ band " + std::to_string(index) + ": frequency " +
                                  std::to_string(band.frequencyHz) + " Hz is not below half the sample rate");
    BandState& state = states_[index];
    LevelDetector::Params detector;
    detector.mode = DetectorMode::Peak;
    detector.filter = detectionFilter(band);
    state.detector.prepare(detector, spec.sampleRate);
    state.computer.prepare(computerParams(band), spec.sampleRate);
    limitDetectorRange(state);
  }
  maxBlockFrames_ = std::max(spec.maxBlockFrames, 1);
  input_ = AudioBuffer(2, maxBlockFrames_);  // processors see 1 or 2 channels
  levelDb_.assign(static_cast<size_t>(maxBlockFrames_), 0.0);
  dynamicDb_.assign(static_cast<size_t>(maxBlockFrames_), 0.0);
  reset();
}

void DynamicEqProcessor::reset() noexcept {
  for (size_t index = 0; index < states_.size(); ++index) {
    BandState& state = states_[index];
    state.detector.reset();
    state.computer.reset();
    state.filter.reset();
    state.quietFrames = 0.0;
    state.designedDynamicDb = 0.0;
    state.filter.setCoefficients(design(index, params_.bands[index].gainDb));
    state.ramp.snap(state.filter.coefficients());
  }
  strideFrame_ = 0;
  maxDynamicGainDb_ = 0.0;
  maxGainReductionDb_ = 0.0;
}

void DynamicEqProcessor::limitDetectorRange(BandState& state) noexcept {
  state.detector.setRange(state.computer.flatBelowDb() - 1.0, state.computer.flatAboveDb() + 1.0);
}

void DynamicEqProcessor::retarget(const Params& target, int rampFrames) noexcept {
  assert(target.bands.size() == params_.bands.size() && "the number of bands stays as prepared");
  for (size_t index = 0; index < params_.bands.size() && index < target.bands.size(); ++index) {
    Band& band = params_.bands[index];
    const Band& moved = target.bands[index];
    assert(moved.shape == band.shape && moved.keyed == band.keyed && "shapes and keys stay as prepared");
    // Before prepare() only the parameters change: prepare() checks the frequency and reads them.
    const bool prepared = index < states_.size();
    const bool tunable = !prepared || (moved.frequencyHz > 0.0 && moved.frequencyHz < sampleRate_ / 2.0);
    assert(tunable && "a band's frequency must stay below half the sample rate");
    const bool redesigned =
        (tunable && (moved.frequencyHz != band.frequencyHz || moved.q != band.q)) || moved.gainDb != band.gainDb;
    const DetectorFilter detected = detectionFilter(band);
    if (tunable) {
      band.frequencyHz = moved.frequencyHz;
      band.q = moved.q;
    }
    band.gainDb = moved.gainDb;
    band.thresholdDb = moved.thresholdDb;
    band.ratio = moved.ratio;
    band.attackMs = moved.attackMs;
    band.releaseMs = moved.releaseMs;
    band.rangeDb = moved.rangeDb;
    if (!prepared) continue;
    BandState& state = states_[index];
    if (redesigned)
      rampCoefficients(state.filter, state.ramp, design(index, band.gainDb + state.designedDynamicDb), rampFrames);
    const DetectorFilter detection = detectionFilter(band);  // a shelf's does not follow its q
    if (detection.frequencyHz != detected.frequencyHz || detection.q != detected.q)
      state.detector.retuneFilter(detection, rampFrames);
    state.computer.retune(computerParams(band));
    limitDetectorRange(state);
  }
}

const GainReductionMeter* DynamicEqProcessor::gainReductionMeter() const noexcept {
  const bool cuts = std::any_of(params_.bands.begin(), params_.bands.end(), [](const Band& band) { return band.rangeDb < 0.0; });
  return cuts ? this : nullptr;
}

BiquadCoefficients DynamicEqProcessor::design(size_t band, double totalGainDb) const noexcept {
  const Band& params = params_.bands[band];
  return designRbj(params.shape, params.frequencyHz, params.q, totalGainDb, sampleRate_);
}

void DynamicEqProcessor::process(AudioBlock io, ConstAudioBlock key, std::int64_t) noexcept {
  assert(key.empty() || key.frames() == io.frames());
  assert(maxBlockFrames_ > 0 && "prepare() before process()");
  if (maxBlockFrames_ <= 0) return;
  forEachChunk(io, key, maxBlockFrames_,
               [this](AudioBlock chunk, ConstAudioBlock keyChunk) { processChunk(chunk, keyChunk); });
}

void DynamicEqProcessor::processChunk(AudioBlock io, ConstAudioBlock key) noexcept {
  const int frames = io.frames();
  const int channels = std::min(io.channels(), input_.channels());
  // The unkeyed bands measure the input before any band has filtered it.
  const AudioBlock input = input_.block(channels, frames);
  for (int channel = 0; channel < channels; ++channel) input.array(channel) = io.array(channel);

  for (size_t band = 0; band < states_.size(); ++band) {
    const Band& params = params_.bands[band];
    BandState& state = states_[band];
    state.detector.process(params.keyed && !key.empty() ? key : ConstAudioBlock(input), levelDb_.data());
    const double sign = params.rangeDb < 0.0 ? -1.0 : 1.0;
    double largest = 0.0;  // of this band in this chunk
    for (int frame = 0; frame < frames; ++frame) {
      const double amountDb = state.computer.process(levelDb_[static_cast<size_t>(frame)]);
      largest = std::max(largest, amountDb);
      dynamicDb_[static_cast<size_t>(frame)] = sign * amountDb;
    }
    maxDynamicGainDb_ = std::max(maxDynamicGainDb_, largest);
    if (params.rangeDb < 0.0) maxGainReductionDb_ = std::max(maxGainReductionDb_, largest);
    filterBand(band, io.withChannels(channels));
  }
  strideFrame_ = (strideFrame_ + frames) % kCoefficientStrideFrames;
}

void DynamicEqProcessor::filterBand(size_t band, AudioBlock io) noexcept {
  // The ramp is checked once: its frames take its coefficients, the rest the filter's own.
  const int rampFrames = std::min(io.frames(), states_[band].ramp.framesLeft());
  filterFrames<true>(band, io, 0, rampFrames);
  filterFrames<false>(band, io, rampFrames, io.frames());
}

template <bool Ramped>
void DynamicEqProcessor::filterFrames(size_t band, AudioBlock io, int first, int last) noexcept {
  BandState& state = states_[band];
  const double staticGainDb = params_.bands[band].gainDb;
  const int channels = io.channels();
  int strideFrame = (strideFrame_ + first) % kCoefficientStrideFrames;
  Biquad filter = state.filter;  // a local copy keeps the state in registers
  for (int frame = first; frame < last; ++frame) {
    if (strideFrame == 0) {
      const double dynamicDb = dynamicDb_[static_cast<size_t>(frame)];
      if (dynamicDb != state.designedDynamicDb) {
        filter.setCoefficients(design(band, staticGainDb + dynamicDb));
        state.designedDynamicDb = dynamicDb;
        // A running ramp heads for the new design instead, in the frames it has left.
        if constexpr (Ramped) state.ramp.rampTo(filter.coefficients(), state.ramp.framesLeft());
      }
    }
    if (++strideFrame == kCoefficientStrideFrames) strideFrame = 0;
    BiquadCoefficients ramped;  // this frame's, for every channel
    if constexpr (Ramped) ramped = state.ramp.next();
    bool quiet = true;
    for (int channel = 0; channel < channels; ++channel) {
      float& sample = io.channel(channel)[frame];
      const double input = sample;
      double output = Ramped ? filter.processSample(channel, input, ramped) : filter.processSample(channel, input);
      quiet = quiet && isQuiet(input) && isQuiet(output);
      if (std::abs(output) < FLT_MIN) output = 0.0;  // never a subnormal output sample
      sample = static_cast<float>(output);
    }
    if (countQuietFrames(state.quietFrames, quiet)) filter.reset();  // biquad_step.h's rule, the channels together
  }
  state.filter = filter;
}

}  // namespace mixdown::dsp
