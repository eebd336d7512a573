#include "support/frequency_response.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <unsupported/Eigen/FFT>

#include "support/test_signals.h"

namespace mixdown::test {

namespace {

/** Resets processor, runs input (copied to every channel) through it in blocks, returns channel `channel`. */
std::vector<float> runChannel(Processor& processor, int channels, const std::vector<float>& input, int blockFrames,
                              int channel) {
  const int frames = static_cast<int>(input.size());
  AudioBuffer buffer(channels, frames);
  AudioBlock whole = buffer.block(frames);
  for (int c = 0; c < channels; ++c) std::copy(input.begin(), input.end(), whole.channel(c));
  processor.reset();
  for (int start = 0; start < frames; start += blockFrames) {
    const int count = std::min(blockFrames, frames - start);
    processor.process(whole.slice(start, count), {}, start);
  }
  return std::vector<float>(whole.channel(channel), whole.channel(channel) + frames);
}

}  // namespace

double measureSineGain(Processor& processor, int channels, double sampleRate, double frequencyHz, int settleFrames,
                       int measureFrames, int blockFrames, double amplitude, int channel) {
  const auto total = static_cast<std::size_t>(settleFrames + measureFrames);
  const std::vector<float> output =
      runChannel(processor, channels, makeSine(frequencyHz, sampleRate, total, amplitude), blockFrames, channel);
  const SineFit fit = fitSine(output, static_cast<std::size_t>(settleFrames), static_cast<std::size_t>(measureFrames),
                              frequencyHz, sampleRate);
  return fit.amplitude / amplitude;
}

double MagnitudeSpectrum::magnitudeAt(double frequencyHz) const {
  const auto bin = static_cast<std::size_t>(std::lround(frequencyHz / binSpacingHz()));
  return magnitudes.at(bin);
}

MagnitudeSpectrum measureImpulseSpectrum(Processor& processor, int channels, double sampleRate, int fftFrames,
                                         int blockFrames, int channel) {
  std::vector<float> impulse(static_cast<std::size_t>(fftFrames), 0.0f);
  impulse[0] = 1.0f;
  const std::vector<float> response = runChannel(processor, channels, impulse, blockFrames, channel);
  const std::vector<double> responseDouble(response.begin(), response.end());
  Eigen::FFT<double> fft;
  std::vector<std::complex<double>> spectrum;
  fft.fwd(spectrum, responseDouble);
  MagnitudeSpectrum result;
  result.sampleRate = sampleRate;
  result.fftFrames = fftFrames;
  for (int bin = 0; bin <= fftFrames / 2; ++bin)
    result.magnitudes.push_back(std::abs(spectrum[static_cast<std::size_t>(bin)]));
  return result;
}

std::vector<double> coherentBinPowers(const std::vector<float>& samples, size_t first, size_t count) {
  std::vector<double> segment(samples.begin() + static_cast<std::ptrdiff_t>(first),
                              samples.begin() + static_cast<std::ptrdiff_t>(first + count));
  std::vector<std::complex<double>> spectrum;
  Eigen::FFT<double> fft;
  fft.fwd(spectrum, segment);
  std::vector<double> powers(count / 2 + 1);
  for (size_t bin = 0; bin < powers.size(); ++bin) powers[bin] = std::norm(spectrum[bin]);
  return powers;
}

double thdPlusNoiseDb(const std::vector<float>& samples, size_t first, size_t count, size_t fundamentalBin) {
  const std::vector<double> powers = coherentBinPowers(samples, first, count);
  double rest = 0.0;
  for (size_t bin = 1; bin < powers.size(); ++bin)
    if (bin != fundamentalBin) rest += powers[bin];
  return 10.0 * std::log10(rest / powers[fundamentalBin]);
}

}  // namespace mixdown::test
