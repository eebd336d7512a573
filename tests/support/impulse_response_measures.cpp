#include "support/impulse_response_measures.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace mixdown::test {

namespace {

/** A biquad (b0, b1, b2, a1, a2; a0 = 1) in direct form I, double precision. */
struct Section {
  std::array<double, 3> b{};
  std::array<double, 2> a{};
};

/**
 * Second-order Butterworth-family sections by the bilinear transform of
 * 1 / (s^2 + s / q + 1) (lowpass) or s^2 / (s^2 + s / q + 1) (highpass), with s
 * normalised to the prewarped corner: s = (1 / K) (1 - z^-1) / (1 + z^-1), K = tan(pi f / fs).
 */
Section bilinearSection(bool highpass, double cornerHz, double q, double sampleRate) {
  const double k = std::tan(std::numbers::pi * cornerHz / sampleRate);
  const double norm = 1.0 / (1.0 + k / q + k * k);
  Section section;
  if (highpass) section.b = {norm, -2.0 * norm, norm};
  else section.b = {k * k * norm, 2.0 * k * k * norm, k * k * norm};
  section.a = {2.0 * (k * k - 1.0) * norm, (1.0 - k / q + k * k) * norm};
  return section;
}

void filterInPlace(std::vector<double>& signal, const Section& section) {
  double x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0;
  for (double& sample : signal) {
    const double y = section.b[0] * sample + section.b[1] * x1 + section.b[2] * x2 - section.a[0] * y1 - section.a[1] * y2;
    x2 = x1, x1 = sample, y2 = y1, y1 = y;
    sample = y;
  }
}

}  // namespace

std::vector<double> energyDecayCurveDb(const std::vector<float>& impulseResponse) {
  std::vector<double> remaining(impulseResponse.size() + 1, 0.0);
  for (std::size_t n = impulseResponse.size(); n-- > 0;)
    remaining[n] = remaining[n + 1] + static_cast<double>(impulseResponse[n]) * impulseResponse[n];
  std::vector<double> curve(impulseResponse.size());
  for (std::size_t n = 0; n < curve.size(); ++n) curve[n] = 10.0 * std::log10(remaining[n] / remaining[0]);
  return curve;
}

double t30Seconds(const std::vector<float>& impulseResponse, double sampleRate) {
  const std::vector<double> curve = energyDecayCurveDb(impulseResponse);
  const auto start = std::find_if(curve.begin(), curve.end(), [](double db) { return db <= -5.0; });
  const auto end = std::find_if(start, curve.end(), [](double db) { return db <= -35.0; });
  if (end == curve.end()) return 0.0;
  // Least squares of db = intercept + slope t over [start, end].
  double sumT = 0.0, sumDb = 0.0, sumTT = 0.0, sumTDb = 0.0;
  double count = 0.0;
  for (auto it = start; it <= end; ++it) {
    const double t = static_cast<double>(it - curve.begin()) / sampleRate;
    sumT += t, sumDb += *it, sumTT += t * t, sumTDb += t * *it;
    count += 1.0;
  }
  const double slopeDbPerS = (count * sumTDb - sumT * sumDb) / (count * sumTT - sumT * sumT);
  return -60.0 / slopeDbPerS;
}

std::vector<float> octaveBand(const std::vector<float>& signal, double centreHz, double sampleRate) {
  std::vector<double> band(signal.begin(), signal.end());
  // 4th-order Butterworth: two sections with Q = 1 / (2 cos(pi / 8)) and 1 / (2 cos(3 pi / 8)).
  const std::array<double, 2> qs = {1.0 / (2.0 * std::cos(std::numbers::pi / 8.0)),
                                    1.0 / (2.0 * std::cos(3.0 * std::numbers::pi / 8.0))};
  for (const double q : qs) filterInPlace(band, bilinearSection(true, centreHz / std::numbers::sqrt2, q, sampleRate));
  for (const double q : qs) filterInPlace(band, bilinearSection(false, centreHz * std::numbers::sqrt2, q, sampleRate));
  return {band.begin(), band.end()};
}

double normalisedCorrelation(const std::vector<float>& a, const std::vector<float>& b) {
  double sumAB = 0.0, sumAA = 0.0, sumBB = 0.0;
  for (std::size_t n = 0; n < std::min(a.size(), b.size()); ++n) {
    sumAB += static_cast<double>(a[n]) * b[n];
    sumAA += static_cast<double>(a[n]) * a[n];
    sumBB += static_cast<double>(b[n]) * b[n];
  }
  return sumAA > 0.0 && sumBB > 0.0 ? sumAB / std::sqrt(sumAA * sumBB) : 0.0;
}

std::ptrdiff_t lastIndexAtOrAbove(const std::vector<float>& samples, double level) {
  for (std::size_t n = samples.size(); n-- > 0;)
    if (std::abs(samples[n]) >= level) return static_cast<std::ptrdiff_t>(n);
  return -1;
}

std::ptrdiff_t lastIndexWithEnvelopeAtOrAbove(const std::vector<float>& samples, double level,
                                              std::size_t windowFrames) {
  std::vector<double> energy(samples.size() + 1, 0.0);  // energy[n] = sum_{k < n} x[k]^2
  for (std::size_t n = 0; n < samples.size(); ++n)
    energy[n + 1] = energy[n] + static_cast<double>(samples[n]) * samples[n];
  const std::size_t half = windowFrames / 2;
  for (std::size_t n = samples.size(); n-- > 0;) {
    const std::size_t begin = n >= half ? n - half : 0;
    const std::size_t end = std::min(samples.size(), n + half);
    if (end > begin && (energy[end] - energy[begin]) / static_cast<double>(end - begin) >= level * level)
      return static_cast<std::ptrdiff_t>(n);
  }
  return -1;
}

std::size_t longestGapFrames(const std::vector<float>& samples, double level, std::size_t first, std::size_t last) {
  if (last <= first) return 0;
  std::size_t longest = 0;
  std::size_t previous = first;
  for (std::size_t n = first + 1; n <= last; ++n)
    if (n == last || std::abs(samples[n]) >= level) {
      longest = std::max(longest, n - previous);
      previous = n;
    }
  return longest;
}

std::vector<double> normalisedEchoDensity(const std::vector<float>& impulseResponse, double sampleRate,
                                          double windowMs) {
  const auto windowFrames = static_cast<std::size_t>(std::lround(windowMs * sampleRate / 1000.0)) | 1;  // odd
  const std::size_t half = windowFrames / 2;
  std::vector<double> weights(windowFrames);
  double weightSum = 0.0;
  for (std::size_t k = 0; k < windowFrames; ++k) {
    weights[k] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(k + 1) / static_cast<double>(windowFrames + 1));
    weightSum += weights[k];
  }
  for (double& weight : weights) weight /= weightSum;
  const double gaussianFraction = std::erfc(1.0 / std::numbers::sqrt2);  // of |x| > sigma in Gaussian noise
  std::vector<double> density(impulseResponse.size(), 0.0);
  if (impulseResponse.size() < windowFrames) return density;
  for (std::size_t centre = half; centre + half < impulseResponse.size(); ++centre) {
    double variance = 0.0;
    for (std::size_t k = 0; k < windowFrames; ++k) {
      const double sample = impulseResponse[centre - half + k];
      variance += weights[k] * sample * sample;
    }
    const double sigma = std::sqrt(variance);
    double outside = 0.0;
    for (std::size_t k = 0; k < windowFrames; ++k)
      if (std::abs(static_cast<double>(impulseResponse[centre - half + k])) > sigma) outside += weights[k];
    density[centre] = outside / gaussianFraction;
  }
  return density;
}

double secondsToEchoDensity(const std::vector<double>& density, double sampleRate, std::size_t start, double level) {
  for (std::size_t n = start; n < density.size(); ++n)
    if (density[n] >= level) return static_cast<double>(n - start) / sampleRate;
  return -1.0;
}

}  // namespace mixdown::test
