#include "mixdown/dsp/true_peak.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>

namespace mixdown::dsp {

namespace {

/** Modified Bessel function of the first kind, order 0: sum over k of ((x / 2)^k / k!)^2. */
double besselI0(double x) {
  const double quarterSquare = x * x / 4.0;
  double term = 1.0;
  double sum = 1.0;
  for (int k = 1; term > 1e-17 * sum; ++k) {
    term *= quarterSquare / (static_cast<double>(k) * static_cast<double>(k));
    sum += term;
  }
  return sum;
}

/** sin(pi t) / (pi t). */
double sinc(double t) {
  if (t == 0.0) return 1.0;
  return std::sin(std::numbers::pi * t) / (std::numbers::pi * t);
}

/** Kaiser window over |t| < halfWidth (Kaiser and Schafer 1980): I0(beta sqrt(1 - (t / halfWidth)^2)) / I0(beta). */
double kaiser(double t, double halfWidth, double beta) {
  const double ratio = t / halfWidth;
  if (ratio <= -1.0 || ratio >= 1.0) return 0.0;
  return besselI0(beta * std::sqrt(1.0 - ratio * ratio)) / besselI0(beta);
}

/** Hann window over |t| < halfWidth: (1 + cos(pi t / halfWidth)) / 2. */
double hann(double t, double halfWidth) {
  if (t <= -halfWidth || t >= halfWidth) return 0.0;
  return 0.5 * (1.0 + std::cos(std::numbers::pi * t / halfWidth));
}

constexpr int kChains = 4;  // independent partial sums per phase group, to hide the adder latency

}  // namespace

int TruePeakMeter::standardOversampling(double sampleRateHz) noexcept {
  if (sampleRateHz < 96000.0) return 4;
  if (sampleRateHz < 192000.0) return 2;
  return 1;
}

TruePeakMeter::TruePeakMeter(int oversampling, int tapsPerPhase, TruePeakWindow window, int latencyFrames)
    : oversampling_(oversampling), taps_(oversampling > 1 ? tapsPerPhase : 0),
      span_(oversampling > 1 ? 2 * std::max(latencyFrames, tapsPerPhase / 2) : 0), groups_((oversampling + 2) / 4) {
  assert(oversampling == 1 || oversampling == 2 || oversampling == 4 || oversampling == 8 || oversampling == 16);
  assert(oversampling == 1 || (tapsPerPhase % 2 == 0 && tapsPerPhase >= 4 && tapsPerPhase <= 256));
  if (oversampling_ == 1) return;

  // Phase j interpolates x at m + j / L from x[m - taps / 2 + 1 + q], q = 0 .. taps - 1,
  // so tap q sits at the distance tau = taps / 2 - 1 - q + j / L from the point.
  coefficients_.assign(static_cast<size_t>(taps_ * groups_), Eigen::Array4f::Zero());
  const double halfWidth = static_cast<double>(taps_) / 2.0;
  for (int phase = 1; phase < oversampling_; ++phase) {
    std::vector<double> phaseTaps(static_cast<size_t>(taps_));
    double dcGain = 0.0;
    for (int tap = 0; tap < taps_; ++tap) {
      const double tau = halfWidth - 1.0 - tap + static_cast<double>(phase) / oversampling_;
      const double shape = window == TruePeakWindow::Kaiser ? kaiser(tau, halfWidth, kKaiserBeta) : hann(tau, halfWidth);
      phaseTaps[static_cast<size_t>(tap)] = sinc(tau) * shape;
      dcGain += phaseTaps[static_cast<size_t>(tap)];
    }
    const int group = (phase - 1) / 4;
    const int lane = (phase - 1) % 4;
    float absoluteSum = 0.0f;
    for (int tap = 0; tap < taps_; ++tap) absoluteSum += std::abs(static_cast<float>(phaseTaps[static_cast<size_t>(tap)] / dcGain));
    maxPhaseGain_ = std::max(maxPhaseGain_, absoluteSum);
    for (int tap = 0; tap < taps_; ++tap) {
      coefficients_[static_cast<size_t>(tap * groups_ + group)][lane] =
          static_cast<float>(phaseTaps[static_cast<size_t>(tap)] / dcGain);
    }
  }
  history_.assign(static_cast<size_t>(2 * span_), 0.0f);
}

void TruePeakMeter::reset() noexcept {
  std::fill(history_.begin(), history_.end(), 0.0f);
  position_ = 0;
  loudFrames_ = 0;
}

template <int Groups, TruePeakMeter::Mode Kind>
void TruePeakMeter::run(const float* input, float* peaks, int frames, float quietLevel) noexcept {
  constexpr bool kAccumulate = Kind != Mode::Write;
  if constexpr (Groups == 0) {
    for (int frame = 0; frame < frames; ++frame) {
      const float peak = std::abs(input[frame]);
      peaks[frame] = kAccumulate ? std::max(peaks[frame], peak) : peak;
    }
  } else {
    const int taps = taps_;
    const int span = span_;
    const int centre = span / 2 - 1;           // x[m], phase 0
    const int firstTap = span / 2 - taps / 2;  // the kernel sits centred in the history
    const Eigen::Array4f* coefficients = coefficients_.data();
    float* history = history_.data();
    int position = position_;
    int loudFrames = loudFrames_;
    for (int frame = 0; frame < frames; ++frame) {
      history[position] = input[frame];
      history[position + span] = input[frame];
      if (++position == span) position = 0;
      const float* window = history + position;  // oldest .. newest
      float peak = std::abs(window[centre]);

      if constexpr (Kind == Mode::MaxAbove) {
        // A sample above quietLevel keeps the filter busy while it is in the window (span frames).
        if (!(std::abs(input[frame]) <= quietLevel)) loudFrames = span;
        if (loudFrames == 0) {
          peaks[frame] = std::max(peaks[frame], peak);
          continue;
        }
        --loudFrames;
      }

      const float* kernelInput = window + firstTap;
      Eigen::Array4f sums[kChains][Groups];
      for (auto& chain : sums)
        for (auto& sum : chain) sum.setZero();
      int tap = 0;
      for (; tap + kChains <= taps; tap += kChains) {
        for (int chain = 0; chain < kChains; ++chain) {
          const float sample = kernelInput[tap + chain];
          const Eigen::Array4f* tapCoefficients = coefficients + (tap + chain) * Groups;
          for (int group = 0; group < Groups; ++group) sums[chain][group] += tapCoefficients[group] * sample;
        }
      }
      for (; tap < taps; ++tap) {
        for (int group = 0; group < Groups; ++group) sums[0][group] += coefficients[tap * Groups + group] * kernelInput[tap];
      }
      for (int group = 0; group < Groups; ++group) {
        const Eigen::Array4f sum = (sums[0][group] + sums[1][group]) + (sums[2][group] + sums[3][group]);
        peak = std::max(peak, sum.abs().maxCoeff());
      }
      peaks[frame] = kAccumulate ? std::max(peaks[frame], peak) : peak;
    }
    position_ = position;
    loudFrames_ = loudFrames;
  }
}

template <TruePeakMeter::Mode Kind>
void TruePeakMeter::dispatch(const float* input, float* peaks, int frames, float quietLevel) noexcept {
  switch (groups_) {
    case 0: run<0, Kind>(input, peaks, frames, quietLevel); break;
    case 1: run<1, Kind>(input, peaks, frames, quietLevel); break;
    case 2: run<2, Kind>(input, peaks, frames, quietLevel); break;
    default: run<4, Kind>(input, peaks, frames, quietLevel); break;
  }
}

void TruePeakMeter::process(const float* input, float* peaks, int frames) noexcept {
  dispatch<Mode::Write>(input, peaks, frames, 0.0f);
}

void TruePeakMeter::processMax(const float* input, float* peaks, int frames) noexcept {
  dispatch<Mode::Max>(input, peaks, frames, 0.0f);
}

void TruePeakMeter::processMaxAbove(const float* input, float* peaks, int frames, float thresholdAmplitude) noexcept {
  // No phase gain exceeds maxPhaseGain_, so a window of samples within threshold / maxPhaseGain_
  // cannot interpolate above the threshold (the factor covers float rounding of the sums).
  const float quietLevel = thresholdAmplitude / (maxPhaseGain_ * 1.0001f);
  if (quietLevel != quietLevel_) {
    quietLevel_ = quietLevel;
    loudFrames_ = span_;  // the history was judged against another level
  }
  dispatch<Mode::MaxAbove>(input, peaks, frames, quietLevel);
}

}  // namespace mixdown::dsp
