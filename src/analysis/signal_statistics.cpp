#include "mixdown/analysis/signal_statistics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <Eigen/Core>

#include "mixdown/audio/decibels.h"

namespace mixdown::analysis {

namespace {

/** Four partial sums of f(index) for index in [0, count), folded in a fixed order. */
template <typename Term>
double sumOf(int count, Term&& term) noexcept {
  double partial[4] = {};
  int index = 0;
  for (; index + 4 <= count; index += 4)
    for (int lane = 0; lane < 4; ++lane) partial[lane] += term(index + lane);
  for (; index < count; ++index) partial[0] += term(index);
  return (partial[0] + partial[1]) + (partial[2] + partial[3]);
}

}  // namespace

SignalStatisticsMeter::SignalStatisticsMeter(int channels) {
  if (channels < 1) throw std::invalid_argument("signal statistics need at least one channel");
  channels_.resize(static_cast<std::size_t>(channels));
  segment_.resize(static_cast<std::size_t>(channels) * kSegmentFrames);
}

void SignalStatisticsMeter::add(ConstAudioBlock block) noexcept {
  for (int first = 0; first < block.frames();) {
    const int frames = std::min(kSegmentFrames - segmentFrames_, block.frames() - first);
    for (std::size_t channel = 0; channel < channels_.size(); ++channel)
      std::copy_n(block.channel(static_cast<int>(channel)) + first, frames,
                  segment_.data() + channel * kSegmentFrames + static_cast<std::size_t>(segmentFrames_));
    segmentFrames_ += frames;
    first += frames;
    if (segmentFrames_ == kSegmentFrames) {
      mergeSegment(channels_, coDeviations_, frames_);
      segmentFrames_ = 0;
    }
  }
}

void SignalStatisticsMeter::mergeSegment(std::vector<ChannelSums>& sums, double& coDeviations,
                                         std::int64_t& frames) const noexcept {
  const int count = segmentFrames_;
  if (count == 0) return;
  const auto before = static_cast<double>(frames), added = static_cast<double>(count);
  const double total = before + added;
  // The segment's deviations from its own mean, and how far that mean lies from the running one.
  double segmentMean[2] = {};
  double shift[2] = {};
  for (std::size_t channel = 0; channel < sums.size(); ++channel) {
    ChannelSums& channelSums = sums[channel];
    const float* x = segment_.data() + channel * kSegmentFrames;
    const double mean = sumOf(count, [&](int i) { return static_cast<double>(x[i]); }) / added;
    const double deviations = sumOf(count, [&](int i) {
      const double deviation = x[i] - mean;
      return deviation * deviation;
    });
    channelSums.squares.add(x, count);
    // Vectorised; NaN samples are passed over, as std::max(peak, NaN) would.
    const Eigen::Map<const Eigen::ArrayXf> samples(x, count);
    const float peak = samples.abs().maxCoeff<Eigen::PropagateNumbers>();
    channelSums.peak = std::max(channelSums.peak, peak);
    channelSums.nonFinite += (!samples.isFinite()).count();
    const double delta = mean - channelSums.mean;
    channelSums.mean += delta * (added / total);
    channelSums.squaredDeviations += deviations + delta * delta * (before * added / total);
    if (channel < 2) {
      segmentMean[channel] = mean;
      shift[channel] = delta;
    }
  }
  if (sums.size() == 2) {
    // Symmetric in the two channels, so swapping them gives the same bits.
    const float* left = segment_.data();
    const float* right = segment_.data() + kSegmentFrames;
    const double segmentCoDeviations =
        sumOf(count, [&](int i) { return (left[i] - segmentMean[0]) * (right[i] - segmentMean[1]); });
    coDeviations += segmentCoDeviations + shift[0] * shift[1] * (before * added / total);
  }
  frames += count;
}

SignalStatistics SignalStatisticsMeter::result() const {
  SignalStatistics statistics;
  // The frames of the unfinished segment, merged into copies.
  std::vector<ChannelSums> channels = channels_;
  double coDeviations = coDeviations_;
  std::int64_t frames = frames_;
  mergeSegment(channels, coDeviations, frames);
  if (frames == 0) return statistics;
  float peak = 0.0f;
  double sumOfSquares = 0.0;
  double dcOffset = 0.0;
  for (const ChannelSums& sums : channels) {
    peak = std::max(peak, sums.peak);
    sumOfSquares += sums.squares.total();
    if (std::abs(sums.mean) > std::abs(dcOffset)) dcOffset = sums.mean;
    statistics.nonFiniteSamples += sums.nonFinite;
  }
  if (peak > 0.0f) statistics.samplePeakDbfs = audio::gainToDb(static_cast<double>(peak));
  const double meanSquare = sumOfSquares / (static_cast<double>(frames) * static_cast<double>(channels.size()));
  if (meanSquare > 0.0) statistics.rmsDbfs = audio::powerToDb(meanSquare);
  statistics.dcOffset = dcOffset;
  if (channels.size() == 2 && channels[0].squaredDeviations > 0.0 && channels[1].squaredDeviations > 0.0) {
    const double correlation = coDeviations / std::sqrt(channels[0].squaredDeviations * channels[1].squaredDeviations);
    statistics.correlation = std::clamp(correlation, -1.0, 1.0);  // rounding may step just outside
  }
  return statistics;
}

}  // namespace mixdown::analysis
