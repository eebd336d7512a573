#include "support/ebur128_reading.h"

#include <doctest/doctest.h>
#include <ebur128.h>

#include <cmath>
#include <vector>

namespace mixdown::test {

Ebur128Reading readWithEbur128(const SoundFileContents& contents) {
  const auto channels = static_cast<unsigned>(contents.channels);
  ebur128_state* meter =
      ebur128_init(channels, static_cast<unsigned long>(contents.sampleRate), EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
  REQUIRE(meter != nullptr);
  std::vector<float> interleaved;
  interleaved.reserve(static_cast<size_t>(contents.frames) * channels);
  for (std::int64_t frame = 0; frame < contents.frames; ++frame)
    for (unsigned channel = 0; channel < channels; ++channel)
      interleaved.push_back(contents.samples[channel][static_cast<size_t>(frame)]);
  REQUIRE(ebur128_add_frames_float(meter, interleaved.data(), static_cast<size_t>(contents.frames)) == EBUR128_SUCCESS);
  Ebur128Reading reading;
  double integrated = 0.0;
  REQUIRE(ebur128_loudness_global(meter, &integrated) == EBUR128_SUCCESS);
  if (std::isfinite(integrated)) reading.integratedLufs = integrated;
  double truePeak = 0.0;
  double samplePeak = 0.0;
  for (unsigned channel = 0; channel < channels; ++channel) {
    double value = 0.0;
    REQUIRE(ebur128_true_peak(meter, channel, &value) == EBUR128_SUCCESS);
    truePeak = std::max(truePeak, value);
    REQUIRE(ebur128_sample_peak(meter, channel, &value) == EBUR128_SUCCESS);
    samplePeak = std::max(samplePeak, value);
  }
  ebur128_destroy(&meter);
  reading.truePeakDbtp = 20.0 * std::log10(truePeak);
  reading.samplePeakDbfs = 20.0 * std::log10(samplePeak);
  return reading;
}

}  // namespace mixdown::test
