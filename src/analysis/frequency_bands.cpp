#include "mixdown/analysis/frequency_bands.h"

#include <algorithm>
#include <cmath>

namespace mixdown::analysis {

double FrequencyBand::centreHz() const noexcept { return std::sqrt(lowHz * highHz); }

double erbNumberOf(double frequencyHz) noexcept { return 21.4 * std::log10(1.0 + 0.00437 * frequencyHz); }

double barkOf(double frequencyHz) noexcept {
  return 13.0 * std::atan(0.00076 * frequencyHz) + 3.5 * std::atan(std::pow(frequencyHz / 7500.0, 2.0));
}

namespace {

double frequencyOfErbNumber(double erbNumber) noexcept { return (std::pow(10.0, erbNumber / 21.4) - 1.0) / 0.00437; }

}  // namespace

std::vector<FrequencyBand> erbBands(int bandCount, double lowHz, double highHz) {
  const double lowErb = erbNumberOf(lowHz);
  const double stepErb = (erbNumberOf(highHz) - lowErb) / bandCount;
  std::vector<FrequencyBand> bands;
  bands.reserve(static_cast<size_t>(bandCount));
  for (int b = 0; b < bandCount; ++b)
    bands.push_back({b == 0 ? lowHz : frequencyOfErbNumber(lowErb + stepErb * b),
                     b + 1 == bandCount ? highHz : frequencyOfErbNumber(lowErb + stepErb * (b + 1))});
  return bands;
}

double nominalThirdOctaveHz(double centreHz) noexcept {
  // ISO 266's preferred numbers for one decade (R10), which repeat in every decade.
  static constexpr double kPreferred[] = {1.0, 1.25, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0, 10.0};
  const double decade = std::pow(10.0, std::floor(std::log10(centreHz)));
  double nearest = kPreferred[0];
  for (const double preferred : kPreferred)
    if (std::abs(std::log(centreHz / (preferred * decade))) < std::abs(std::log(centreHz / (nearest * decade))))
      nearest = preferred;
  return nearest * decade;
}

std::vector<FrequencyBand> thirdOctaveBands(double maxHz) {
  std::vector<FrequencyBand> bands;
  // n = 13 is 10^1.3 = 19.95 Hz (nominal 20), n = 43 is 19953 Hz (nominal 20 k).
  for (int n = 13; n <= 43; ++n) {
    const double centreHz = std::pow(10.0, n / 10.0);
    const FrequencyBand band{centreHz * std::pow(10.0, -0.05), centreHz * std::pow(10.0, 0.05)};
    if (band.highHz <= maxHz) bands.push_back(band);
  }
  return bands;
}

BandSummer::BandSummer(const std::vector<FrequencyBand>& bands, double binHz, int binCount) {
  for (const FrequencyBand& band : bands) {
    const int first = std::clamp(static_cast<int>(std::ceil(band.lowHz / binHz)), 0, binCount);
    int end = std::clamp(static_cast<int>(std::ceil(band.highHz / binHz)), first, binCount);
    firstBin_.push_back(first);
    endBin_.push_back(end);
  }
}

void BandSummer::sum(const std::vector<double>& power, double* out) const noexcept {
  for (size_t b = 0; b < firstBin_.size(); ++b) {
    double total = 0.0;
    for (int k = firstBin_[b]; k < endBin_[b]; ++k) total += power[static_cast<size_t>(k)];
    out[b] = total;
  }
}

}  // namespace mixdown::analysis
