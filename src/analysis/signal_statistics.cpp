#include "mixdown/analysis/signal_statistics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mixdown::analysis {

SignalStatisticsMeter::SignalStatisticsMeter(int channels) {
  if (channels < 1) throw std::invalid_argument("signal statistics need at least one channel");
  channels_.resize(static_cast<std::size_t>(channels));
}

void SignalStatisticsMeter::add(ConstAudioBlock block) noexcept {
  const bool stereo = channels_.size() == 2;
  for (int frame = 0; frame < block.frames(); ++frame) {
    ++frames_;
    const double weight = 1.0 / static_cast<double>(frames_);
    // Deviations from the previous means (Welford): x - mean_{n-1} and, after the update, x - mean_n.
    double deviationBefore[2] = {0.0, 0.0};
    double deviationAfter[2] = {0.0, 0.0};
    for (std::size_t channel = 0; channel < channels_.size(); ++channel) {
      ChannelSums& sums = channels_[channel];
      const float sample = block.channel(static_cast<int>(channel))[frame];
      const double value = sample;
      const double before = value - sums.mean;
      sums.mean += before * weight;
      const double after = value - sums.mean;
      sums.squaredDeviations += before * after;
      sums.sumOfSquares += value * value;
      sums.peak = std::max(sums.peak, std::abs(sample));
      if (stereo) {
        deviationBefore[channel] = before;
        deviationAfter[channel] = after;
      }
    }
    // The co-moment update pairs one channel's old deviation with the other's new one;
    // symmetrised so that swapping the channels gives the same bits.
    if (stereo)
      coDeviations_ += 0.5 * (deviationBefore[0] * deviationAfter[1] + deviationBefore[1] * deviationAfter[0]);
  }
}

SignalStatistics SignalStatisticsMeter::result() const {
  SignalStatistics statistics;
  if (frames_ == 0) return statistics;
  float peak = 0.0f;
  double sumOfSquares = 0.0;
  double dcOffset = 0.0;
  for (const ChannelSums& sums : channels_) {
    peak = std::max(peak, sums.peak);
    sumOfSquares += sums.sumOfSquares;
    if (std::abs(sums.mean) > std::abs(dcOffset)) dcOffset = sums.mean;
  }
  if (peak > 0.0f) statistics.samplePeakDbfs = 20.0 * std::log10(static_cast<double>(peak));
  const double meanSquare = sumOfSquares / (static_cast<double>(frames_) * static_cast<double>(channels_.size()));
  if (meanSquare > 0.0) statistics.rmsDbfs = 10.0 * std::log10(meanSquare);
  statistics.dcOffset = dcOffset;
  if (channels_.size() == 2 && channels_[0].squaredDeviations > 0.0 && channels_[1].squaredDeviations > 0.0) {
    const double correlation =
        coDeviations_ / std::sqrt(channels_[0].squaredDeviations * channels_[1].squaredDeviations);
    statistics.correlation = std::clamp(correlation, -1.0, 1.0);  // rounding may step just outside
  }
  return statistics;
}

}  // namespace mixdown::analysis
