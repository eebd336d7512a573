#include "support/test_signals.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>

namespace mixdown::test {

std::vector<float> makeSine(double frequencyHz, double sampleRate, std::size_t frames, double amplitude,
                            double phaseRad) {
  std::vector<float> samples(frames);
  const double radiansPerFrame = 2.0 * std::numbers::pi * frequencyHz / sampleRate;
  for (std::size_t n = 0; n < frames; ++n) {
    samples[n] = static_cast<float>(amplitude * std::sin(radiansPerFrame * static_cast<double>(n) + phaseRad));
  }
  return samples;
}

double SineFit::residualDbfs() const { return amplitudeToDb(residualRms); }

SineFit fitSine(const std::vector<float>& samples, std::size_t first, std::size_t count, double frequencyHz,
                double sampleRate) {
  // Columns: sin, cos, 1. a sin + b cos = A sin(w n + phase) with A = hypot(a, b), phase = atan2(b, a).
  const double radiansPerFrame = 2.0 * std::numbers::pi * frequencyHz / sampleRate;
  Eigen::MatrixXd basis(static_cast<Eigen::Index>(count), 3);
  Eigen::VectorXd values(static_cast<Eigen::Index>(count));
  for (std::size_t i = 0; i < count; ++i) {
    const double angle = radiansPerFrame * static_cast<double>(first + i);
    const auto row = static_cast<Eigen::Index>(i);
    basis(row, 0) = std::sin(angle);
    basis(row, 1) = std::cos(angle);
    basis(row, 2) = 1.0;
    values(row) = samples[first + i];
  }
  const Eigen::Vector3d coefficients = basis.colPivHouseholderQr().solve(values);
  const Eigen::VectorXd residual = values - basis * coefficients;
  SineFit fit;
  fit.amplitude = std::hypot(coefficients(0), coefficients(1));
  fit.phaseRad = std::atan2(coefficients(1), coefficients(0));
  fit.dcOffset = coefficients(2);
  fit.residualRms = std::sqrt(residual.squaredNorm() / static_cast<double>(count));
  return fit;
}

double angleDifference(double a, double b) {
  double difference = std::remainder(a - b, 2.0 * std::numbers::pi);
  if (difference <= -std::numbers::pi) difference += 2.0 * std::numbers::pi;
  return difference;
}

double amplitudeToDb(double amplitude) {
  return amplitude > 0.0 ? 20.0 * std::log10(amplitude) : -std::numeric_limits<double>::infinity();
}

double dbToAmplitude(double db) { return std::pow(10.0, db / 20.0); }

double peakOf(const std::vector<float>& samples) {
  double peak = 0.0;
  for (const float sample : samples) peak = std::max(peak, std::abs(static_cast<double>(sample)));
  return peak;
}

double rmsOf(const std::vector<float>& samples) {
  double sum = 0.0;
  for (const float sample : samples) sum += static_cast<double>(sample) * sample;
  return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace mixdown::test
