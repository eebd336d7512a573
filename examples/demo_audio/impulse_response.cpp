// A synthetic hall impulse response for the convolution demo: no recorded IR
// can be downloaded, so the project makes one. Stereo, at 44.1 kHz on purpose
// (the session runs at 48 kHz, so loading it exercises resampling).
//
// Model: a handful of discrete early reflections in the first 80 ms, then a
// late tail of independent noise per channel under an exponential envelope
// that falls 60 dB in kHallRt60S, low-passed by a cutoff that falls with time
// so high frequencies die first, as air and walls absorb them.
#include "song.h"

#include <algorithm>
#include <cmath>

namespace demo {

namespace {

constexpr double kHallRt60S = 2.2;
constexpr double kLateStartS = 0.012;         // the diffuse tail fades in from here
constexpr double kLateFadeInS = 0.06;
constexpr double kBrightCutoffHz = 12000.0;   // lowpass of the tail at its start
constexpr double kDarkCutoffHz = 1500.0;      // ... and after one RT60

struct Reflection {
  double timeS;
  double gainLeft;
  double gainRight;
};

// Floor, side walls and ceiling of a mid-sized hall, left and right differing.
constexpr Reflection kEarlyReflections[] = {
    {0.0000, 1.00, 1.00}, {0.0113, 0.62, 0.41}, {0.0157, 0.38, 0.58}, {0.0231, 0.44, 0.30},
    {0.0298, 0.27, 0.40}, {0.0372, 0.31, 0.22}, {0.0455, 0.18, 0.29}, {0.0610, 0.20, 0.16},
    {0.0790, 0.12, 0.15},
};

}  // namespace

void renderHallImpulseResponse(std::vector<Buffer>& channels, double sampleRateHz) {
  for (std::size_t channel = 0; channel < channels.size(); ++channel) {
    Buffer& out = channels[channel];
    Rng rng(0x5eed'4a11ULL + channel);
    LowpassSvf tone;
    for (std::size_t i = 0; i < out.size(); ++i) {
      const double timeS = static_cast<double>(i) / sampleRateHz;
      // Amplitude falls 60 dB per RT60: 10^(-3 t / RT60).
      const double envelope = std::pow(10.0, -3.0 * timeS / kHallRt60S);
      const double fadeIn = std::clamp((timeS - kLateStartS) / kLateFadeInS, 0.0, 1.0);
      const double cutoffHz = kDarkCutoffHz + (kBrightCutoffHz - kDarkCutoffHz) * std::exp(-timeS / (0.4 * kHallRt60S));
      tone.setCutoff(cutoffHz, 0.6, sampleRateHz);
      out[i] = static_cast<float>(0.35 * envelope * fadeIn * tone.process(rng.bipolar()));
    }
    for (const Reflection& reflection : kEarlyReflections) {
      const std::size_t at = toSample(reflection.timeS, sampleRateHz);
      if (at < out.size()) out[at] += static_cast<float>(channel == 0 ? reflection.gainLeft : reflection.gainRight);
    }
  }
}

}  // namespace demo
