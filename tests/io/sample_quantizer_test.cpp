// SampleQuantizer against its documented formula computed with std::round:
// code = clamp(round(x 2^(n-1) + dither), -2^(n-1), 2^(n-1) - 1), ties away
// from zero, NaN to 0; clamped and NaN samples count as clipped. Checked at
// 16, 24 and 32 bits on ties, the doubles either side of them, full scale,
// beyond it, infinities, NaN and random samples, with and without dither.

#include "mixdown/io/sample_quantizer.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <limits>
#include <random>
#include <unsupported/Eigen/FFT>
#include <vector>

using namespace mixdown::io;

namespace {

struct Expected {
  std::vector<std::int32_t> codes;
  std::int64_t clipped = 0;
};

Expected byFormula(const std::vector<float>& samples, int bits, bool dither, std::uint64_t seed) {
  const double fullScale = std::ldexp(1.0, bits - 1);
  TpdfDither generator(seed);
  Expected expected;
  for (const float sample : samples) {
    double value = static_cast<double>(sample) * fullScale;
    if (dither) value += generator.nextLsb();
    double code = std::round(value);
    if (std::isnan(code) || code > fullScale - 1.0 || code < -fullScale) ++expected.clipped;
    code = std::isnan(code) ? 0.0 : std::clamp(code, -fullScale, fullScale - 1.0);
    expected.codes.push_back(static_cast<std::int32_t>(code));
  }
  return expected;
}

}  // namespace

TEST_CASE("io: the quantizer is round-half-away-from-zero, clamped, as its formula says") {
  for (const int bits : {16, 24, 32}) {
    const double fullScale = std::ldexp(1.0, bits - 1);
    std::vector<float> samples = {0.0f, -0.0f, 1.0f, -1.0f, 2.0f, -2.0f, std::numeric_limits<float>::infinity(),
                                  -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN(),
                                  std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
                                  std::nextafter(1.0f, 0.0f), std::nextafter(-1.0f, 0.0f)};
    // Ties (k + 1/2 codes) and the floats either side of them, where a float can hold them.
    for (const double k : {0.0, 1.0, 2.0, 1000.0, 65535.0, fullScale / 4.0, fullScale - 1.0}) {
      for (const double sign : {1.0, -1.0}) {
        const auto tie = static_cast<float>(sign * (k + 0.5) / fullScale);
        samples.insert(samples.end(), {tie, std::nextafter(tie, 0.0f), std::nextafter(tie, 2.0f * tie)});
      }
    }
    std::mt19937 random(static_cast<unsigned>(bits));
    std::uniform_real_distribution<float> anywhere(-1.2f, 1.2f);
    for (int i = 0; i < 20000; ++i) samples.push_back(anywhere(random));
    for (const bool dither : {false, true}) {
      INFO(bits << " bits, dither " << dither);
      SampleQuantizer quantizer(bits, dither ? Dither::Tpdf : Dither::None, 77);
      std::vector<std::int32_t> codes(samples.size());
      quantizer.quantize(samples.data(), samples.size(), codes.data());
      const Expected expected = byFormula(samples, bits, dither, 77);
      CHECK(codes == expected.codes);
      CHECK(quantizer.clippedSamples() == expected.clipped);
      CHECK(expected.clipped > 6);  // the infinities, NaN, +-max, +-2 and the random samples beyond full scale
    }
  }
}

namespace {

/** Mean |DFT|^2 over bins of fromHz .. toHz of codes, Welch-averaged over Hann-windowed 4096-frame segments. */
double bandPower(const std::vector<double>& codes, double sampleRate, double fromHz, double toHz) {
  constexpr std::size_t kSegment = 4096;
  Eigen::FFT<double> fft;
  std::vector<double> segment(kSegment);
  std::vector<std::complex<double>> spectrum;
  double sum = 0.0;
  int count = 0;
  for (std::size_t first = 0; first + kSegment <= codes.size(); first += kSegment / 2) {
    for (std::size_t n = 0; n < kSegment; ++n)
      segment[n] = codes[first + n] * (0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(n) / kSegment));
    fft.fwd(spectrum, segment);
    for (std::size_t bin = 0; bin <= kSegment / 2; ++bin) {
      const double frequencyHz = static_cast<double>(bin) * sampleRate / kSegment;
      if (frequencyHz >= fromHz && frequencyHz <= toHz) sum += std::norm(spectrum[bin]), ++count;
    }
  }
  return sum / count;
}

/** Mean over fromHz .. toHz (1 Hz steps) of |E(e^jw)|^2, E(z) = 1 - sum_k h_k z^-k: the shaped noise's gain. */
double shapingGain(double sampleRate, double fromHz, double toHz) {
  double sum = 0.0;
  int count = 0;
  for (double frequencyHz = fromHz; frequencyHz <= toHz; frequencyHz += 1.0) {
    std::complex<double> gain = 1.0;
    for (std::size_t k = 0; k < 5; ++k)
      gain -= SampleQuantizer::kShapingCoefficients[k] *
              std::polar(1.0, -2.0 * std::numbers::pi * frequencyHz / sampleRate * static_cast<double>(k + 1));
    sum += std::norm(gain), ++count;
  }
  return sum / count;
}

}  // namespace

TEST_CASE("io: shaped dither moves the noise out of 1-5 kHz as its error filter's formula says, and repeats") {
  // A -70 dBFS 997 Hz tone at 16 bits, 2^18 samples, 44.1 kHz: the requantisation noise of flat TPDF
  // and of shaped dither, measured in 1.2-5 kHz (away from the tone) and over 15-20 kHz.
  const double sampleRate = 44100.0;
  std::vector<float> samples(1 << 18);
  for (std::size_t n = 0; n < samples.size(); ++n)
    samples[n] = static_cast<float>(std::pow(10.0, -70.0 / 20.0) *
                                    std::sin(2.0 * std::numbers::pi * 997.0 * static_cast<double>(n) / sampleRate));
  const auto noise = [&](Dither dither) {
    SampleQuantizer quantizer(16, dither, 5);
    std::vector<std::int32_t> codes(samples.size());
    quantizer.quantize(samples.data(), samples.size(), codes.data());
    std::vector<double> error(samples.size());
    for (std::size_t n = 0; n < samples.size(); ++n) error[n] = codes[n] - static_cast<double>(samples[n]) * 32768.0;
    return std::pair{codes, error};
  };
  const auto [flatCodes, flat] = noise(Dither::Tpdf);
  const auto [shapedCodes, shaped] = noise(Dither::Shaped);
  for (const auto& [fromHz, toHz] : {std::pair{1200.0, 5000.0}, std::pair{15000.0, 20000.0}}) {
    const double measuredDb = 10.0 * std::log10(bandPower(shaped, sampleRate, fromHz, toHz) / bandPower(flat, sampleRate, fromHz, toHz));
    const double formulaDb = 10.0 * std::log10(shapingGain(sampleRate, fromHz, toHz));
    MESSAGE("shaped against TPDF, ", fromHz, "-", toHz, " Hz: ", measuredDb, " dB (formula ", formulaDb, " dB)");
    CHECK(std::abs(measuredDb - formulaDb) <= 1.0);
  }
  // Seeded: the same seed repeats it bit for bit, whatever the split into calls.
  SampleQuantizer split(16, Dither::Shaped, 5);
  std::vector<std::int32_t> codes(samples.size());
  split.quantize(samples.data(), 1000, codes.data());
  split.quantize(samples.data() + 1000, samples.size() - 1000, codes.data() + 1000);
  CHECK(codes == shapedCodes);
  CHECK(codes != flatCodes);
}
