#include "mixdown/dsp/eq.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace mixdown::dsp {

namespace {

// Decaying states are flushed deterministically, per sample, so the output
// never becomes subnormal even without ScopedFlushDenormals (FTZ/DAZ), and
// the result does not depend on how the signal is split into blocks.
//
// A section's TDF-II state after frame n is a fixed linear combination of its
// input and output at frames n - 1 and n (s2 = b2 x[n] - a2 y[n],
// s1 = b1 x[n] - a1 y[n] + s2[n - 1]). So once both have been below
// kTinyLevel for kQuietFramesToFlush frames, the state is below ~1e3 *
// kTinyLevel and zeroing it changes nothing audible (-600 dBFS); a silent
// section then outputs exact zeros. Sections are only checked while the
// cascade's input is below kTinyLevel too (decay after the input stops), which
// keeps the check off the path of a signal. Output samples below kTinyLevel
// are written as 0, so every output is above FLT_MIN (1.2e-38) or exactly zero.
constexpr double kTinyLevel = 1e-30;
constexpr unsigned char kQuietFramesToFlush = 2;
constexpr double kMinimumQ = 0.001;

// slope (dB/oct) -> sections: 12 -> 1 (the band's own q), 24/36/48 -> 2/3/4 (Butterworth).
int sectionCountForSlope(int slopeDbPerOctave) noexcept { return std::clamp(slopeDbPerOctave / 12, 1, 4); }

bool isPassFilter(BiquadShape shape) noexcept {
  return shape == BiquadShape::Highpass || shape == BiquadShape::Lowpass;
}

/**
 * One frame of a cascade whose input is below kTinyLevel: each section whose
 * input and output have both been below kTinyLevel for kQuietFramesToFlush
 * frames in a row has its state zeroed. quietFrames counts those frames per
 * section; it is valid only across consecutive quiet input frames.
 */
double processQuietFrame(Biquad* cascade, unsigned char* quietFrames, int sectionCount, double input) noexcept {
  double value = input;
  for (int section = 0; section < sectionCount; ++section) {
    const double output = cascade[section].processSample(0, value);
    if (std::abs(value) < kTinyLevel && std::abs(output) < kTinyLevel) {
      if (quietFrames[section] < kQuietFramesToFlush) ++quietFrames[section];
      if (quietFrames[section] == kQuietFramesToFlush) cascade[section].reset();
    } else {
      quietFrames[section] = 0;
    }
    value = output;
  }
  return value;
}

int sectionCountForBand(const EqProcessor::Band& band) noexcept {
  return isPassFilter(band.shape) ? sectionCountForSlope(band.slopeDbPerOctave) : 1;
}

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
  sectionsPerChannel_ = static_cast<int>(cascade.size());
  sections_.assign(static_cast<size_t>(channels_) * cascade.size(), Biquad{});
  for (size_t index = 0; index < sections_.size(); ++index)
    sections_[index].setCoefficients(cascade[index % cascade.size()]);
  ramps_.assign(cascade.size(), BiquadCoefficientRamp{});
  for (size_t index = 0; index < cascade.size(); ++index) ramps_[index].snap(cascade[index]);
  channelRamps_ = ramps_;
  quietFrames_.assign(sections_.size(), 0);
  quietCountsValid_ = {};
}

void EqProcessor::reset() noexcept {
  for (Biquad& section : sections_) section.reset();
  std::fill(quietFrames_.begin(), quietFrames_.end(), static_cast<unsigned char>(0));
  quietCountsValid_ = {};
}

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

void EqProcessor::setSectionCoefficients() noexcept {
  for (size_t index = 0; index < sections_.size(); ++index)
    sections_[index].setCoefficients(ramps_[index % ramps_.size()].current());
}

void EqProcessor::process(AudioBlock io, ConstAudioBlock, std::int64_t) noexcept {
  if (sectionsPerChannel_ == 0) return;
  const int channels = std::min(io.channels(), channels_);
  // retarget() starts every section's ramp at once and for the same length.
  const int rampingFrames = std::min(io.frames(), ramps_.front().framesLeft());
  if (rampingFrames > 0) {
    for (int channel = 0; channel < channels; ++channel) {
      std::copy(ramps_.begin(), ramps_.end(), channelRamps_.begin());
      processRamping(io.channel(channel), channel, rampingFrames);
    }
    std::copy(channelRamps_.begin(), channelRamps_.end(), ramps_.begin());
    setSectionCoefficients();
  }
  for (int channel = 0; channel < channels; ++channel)
    processSteady(io.channel(channel) + rampingFrames, channel, io.frames() - rampingFrames);
}

void EqProcessor::processRamping(float* samples, int channel, int frames) noexcept {
  Biquad* const cascade = sections_.data() + static_cast<size_t>(channel) * static_cast<size_t>(sectionsPerChannel_);
  quietCountsValid_[static_cast<size_t>(channel)] = false;  // no flushing while the filters move
  for (int frame = 0; frame < frames; ++frame) {
    double value = samples[frame];
    for (int section = 0; section < sectionsPerChannel_; ++section)
      value = cascade[section].processSample(0, value, channelRamps_[static_cast<size_t>(section)].next());
    samples[frame] = std::abs(value) < kTinyLevel ? 0.0f : static_cast<float>(value);
  }
}

void EqProcessor::processSteady(float* samples, int channel, int frames) noexcept {
  const auto first = static_cast<size_t>(channel) * static_cast<size_t>(sectionsPerChannel_);
  Biquad* const cascade = sections_.data() + first;
  unsigned char* const quiet = quietFrames_.data() + first;
  bool& quietCountsValid = quietCountsValid_[static_cast<size_t>(channel)];
  for (int frame = 0; frame < frames; ++frame) {
    double value = samples[frame];
    if (std::abs(value) >= kTinyLevel) {
      // Signal at the input: no section is flushed, so skip the bookkeeping.
      for (int section = 0; section < sectionsPerChannel_; ++section) value = cascade[section].processSample(0, value);
      quietCountsValid = false;
    } else {
      if (!quietCountsValid) std::fill_n(quiet, sectionsPerChannel_, static_cast<unsigned char>(0));
      quietCountsValid = true;
      value = processQuietFrame(cascade, quiet, sectionsPerChannel_, value);
    }
    samples[frame] = std::abs(value) < kTinyLevel ? 0.0f : static_cast<float>(value);
  }
}

}  // namespace mixdown::dsp
