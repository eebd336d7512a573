#pragma once
// Frequency bands for the spectral analyses: ERB-spaced bands (Glasberg and
// Moore 1990) for masking, ISO 266 third-octave and broad bands for the
// reference comparison, and the sums of a power spectrum over them.

#include <string>
#include <vector>

namespace mixdown::analysis {

struct FrequencyBand {
  double lowHz = 0.0;
  double highHz = 0.0;
  /** Geometric centre, sqrt(low * high). */
  double centreHz() const noexcept;
};

/** ERB number of a frequency, 21.4 log10(1 + 0.00437 f) (Glasberg and Moore 1990). */
double erbNumberOf(double frequencyHz) noexcept;
/** Critical-band rate in Bark (Zwicker and Terhardt 1980): 13 atan(0.00076 f) + 3.5 atan((f / 7500)^2). */
double barkOf(double frequencyHz) noexcept;

/** bandCount bands equally spaced in ERB number from lowHz to highHz. */
std::vector<FrequencyBand> erbBands(int bandCount, double lowHz, double highHz);

/**
 * ISO 266 third-octave bands whose centres are 10^(n / 10) Hz (nominally 20,
 * 25, 31.5 ... 20000 Hz), edges at centre * 10^(+-1 / 20), keeping the bands
 * whose upper edge lies below maxHz.
 */
std::vector<FrequencyBand> thirdOctaveBands(double maxHz);

/** ISO 266's nominal name of a third-octave centre (20, 25, 31.5, 40 ... 12500, 16000, 20000 Hz): the nearest one. */
double nominalThirdOctaveHz(double centreHz) noexcept;

/** Sums of a one-sided power spectrum over bands: the bins whose centre frequency lies in [low, high). */
class BandSummer {
public:
  BandSummer(const std::vector<FrequencyBand>& bands, double binHz, int binCount);
  int bandCount() const noexcept { return static_cast<int>(firstBin_.size()); }
  /** out[b] = sum of power over band b's bins (0 where a band holds no bin). */
  void sum(const std::vector<double>& power, double* out) const noexcept;

private:
  std::vector<int> firstBin_;
  std::vector<int> endBin_;
};

}  // namespace mixdown::analysis
