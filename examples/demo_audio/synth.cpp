#include "synth.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace demo {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTwoPi = 2.0 * kPi;

// polyBLEP residual for a unit step at phase 0 (Valimaki and Huovilainen).
double polyBlep(double phase, double phaseInc) {
  if (phase < phaseInc) {
    const double t = phase / phaseInc;
    return t + t - t * t - 1.0;
  }
  if (phase > 1.0 - phaseInc) {
    const double t = (phase - 1.0) / phaseInc;
    return t * t + t + t + 1.0;
  }
  return 0.0;
}

// Number of samples a voice may write from startIndex without running off the buffer.
std::size_t writableCount(const Buffer& out, std::size_t startIndex, std::size_t wanted) {
  if (startIndex >= out.size()) return 0;
  return std::min(wanted, out.size() - startIndex);
}

}  // namespace

std::uint64_t Rng::next() {
  state_ += 0x9E3779B97F4A7C15ULL;
  std::uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::bipolar() { return 2.0 * uniform() - 1.0; }

double dbToGain(double db) { return std::pow(10.0, db / 20.0); }

double gainToDb(double gain) { return gain > 0.0 ? 20.0 * std::log10(gain) : -144.0; }

double midiToHz(double midiNote) { return 440.0 * std::pow(2.0, (midiNote - 69.0) / 12.0); }

std::size_t toSample(double timeS, double sampleRateHz) {
  if (timeS <= 0.0) return 0;
  return static_cast<std::size_t>(std::llround(timeS * sampleRateHz));
}

double BlepOsc::saw() {
  const double value = 2.0 * phase_ - 1.0 - polyBlep(phase_, phaseInc_);
  phase_ += phaseInc_;
  if (phase_ >= 1.0) phase_ -= 1.0;
  return value;
}

double BlepOsc::pulse(double width01) {
  double value = phase_ < width01 ? 1.0 : -1.0;
  value += polyBlep(phase_, phaseInc_);
  value -= polyBlep(std::fmod(phase_ + 1.0 - width01, 1.0), phaseInc_);
  phase_ += phaseInc_;
  if (phase_ >= 1.0) phase_ -= 1.0;
  return value - (2.0 * width01 - 1.0);  // remove the DC of an asymmetric pulse
}

void LowpassSvf::setCutoff(double cutoffHz, double q, double sampleRateHz) {
  const double clampedHz = std::min(cutoffHz, 0.45 * sampleRateHz);
  const double g = std::tan(kPi * clampedHz / sampleRateHz);
  const double k = 1.0 / q;
  a1_ = 1.0 / (1.0 + g * (g + k));
  a2_ = g * a1_;
  a3_ = g * a2_;
}

double LowpassSvf::process(double x) {
  const double v3 = x - ic2_;
  const double v1 = a1_ * ic1_ + a2_ * v3;
  const double v2 = ic2_ + a2_ * ic1_ + a3_ * v3;
  ic1_ = 2.0 * v1 - ic1_;
  ic2_ = 2.0 * v2 - ic2_;
  return v2;
}

void OnePoleHighpass::setCutoff(double cutoffHz, double sampleRateHz) {
  coeff_ = std::exp(-kTwoPi * cutoffHz / sampleRateHz);
}

double OnePoleHighpass::process(double x) {
  prevOut_ = coeff_ * (prevOut_ + x - prevIn_);
  prevIn_ = x;
  return prevOut_;
}

void addKick(Buffer& out, double sampleRateHz, double startS, double velocity, Rng& rng) {
  const std::size_t start = toSample(startS, sampleRateHz);
  const std::size_t count = writableCount(out, start, toSample(0.6, sampleRateHz));
  double phase = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    const double tS = static_cast<double>(i) / sampleRateHz;
    // Fast downward pitch sweep: the "thump" of a kick drum.
    const double freqHz = 48.0 + 110.0 * std::exp(-tS / 0.04);
    phase += kTwoPi * freqHz / sampleRateHz;
    const double attack = std::min(1.0, tS / 0.002);
    const double body = std::sin(phase) * std::exp(-tS / 0.14) * attack;
    const double click = 0.5 * rng.bipolar() * std::exp(-tS / 0.003);
    // Gentle saturation adds harmonics so the kick reads on small speakers.
    const double shaped = std::tanh(1.2 * (body + click)) / std::tanh(1.2);
    out[start + i] += static_cast<float>(velocity * shaped);
  }
}

void addSnare(Buffer& out, double sampleRateHz, double startS, double velocity, Rng& rng) {
  const std::size_t start = toSample(startS, sampleRateHz);
  const std::size_t count = writableCount(out, start, toSample(0.45, sampleRateHz));
  OnePoleHighpass wireHp1;
  OnePoleHighpass wireHp2;
  wireHp1.setCutoff(1200.0, sampleRateHz);
  wireHp2.setCutoff(1200.0, sampleRateHz);
  double shellPhase = 0.0;
  double overtonePhase = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    const double tS = static_cast<double>(i) / sampleRateHz;
    shellPhase += kTwoPi * 185.0 * (1.0 + 0.2 * std::exp(-tS / 0.01)) / sampleRateHz;
    overtonePhase += kTwoPi * 330.0 / sampleRateHz;
    const double shell = 0.55 * std::sin(shellPhase) * std::exp(-tS / 0.07) +
                         0.3 * std::sin(overtonePhase) * std::exp(-tS / 0.035);
    // The snare wires: bright noise with a longer decay than the shell.
    const double wires = wireHp2.process(wireHp1.process(rng.bipolar())) * std::exp(-tS / 0.18);
    const double attack = std::min(1.0, tS / 0.001);
    out[start + i] += static_cast<float>(velocity * attack * (shell + 0.9 * wires));
  }
}

void addCymbal(Buffer& out, double sampleRateHz, double startS, double velocity, double decayS,
               Rng& rng) {
  // Six detuned square waves at inharmonic ratios give the metallic ring of an
  // analogue drum machine's cymbals; noise adds the wash.
  constexpr std::array<double, 6> kMetalHz = {307.9, 456.6, 554.4, 784.0, 810.0, 1200.0};
  std::array<double, 6> phases{};
  for (double& phase : phases) phase = rng.uniform();
  const bool isCrash = decayS > 1.0;
  OnePoleHighpass hp1;
  OnePoleHighpass hp2;
  hp1.setCutoff(isCrash ? 3500.0 : 6500.0, sampleRateHz);
  hp2.setCutoff(isCrash ? 3500.0 : 6500.0, sampleRateHz);
  const double noiseShare = isCrash ? 0.8 : 0.55;
  const std::size_t start = toSample(startS, sampleRateHz);
  const std::size_t count =
      writableCount(out, start, toSample(std::min(7.0 * decayS, 4.0), sampleRateHz));
  for (std::size_t i = 0; i < count; ++i) {
    const double tS = static_cast<double>(i) / sampleRateHz;
    double metal = 0.0;
    for (std::size_t k = 0; k < kMetalHz.size(); ++k) {
      phases[k] += kMetalHz[k] / sampleRateHz;
      if (phases[k] >= 1.0) phases[k] -= 1.0;
      metal += phases[k] < 0.5 ? 1.0 : -1.0;
    }
    metal /= static_cast<double>(kMetalHz.size());
    const double raw = (1.0 - noiseShare) * metal + noiseShare * rng.bipolar();
    const double attack = std::min(1.0, tS / 0.0005);
    const double envelope = attack * std::exp(-tS / decayS);
    out[start + i] += static_cast<float>(velocity * envelope * hp2.process(hp1.process(raw)));
  }
}

void addPluck(Buffer& out, double sampleRateHz, const Pluck& pluck, Rng& rng) {
  // Loop delay = delay line + 0.5 sample (two-point average) + allpass fraction.
  const double periodSamples = sampleRateHz / pluck.freqHz;
  const auto delayLength = static_cast<std::size_t>(std::floor(periodSamples - 0.6));
  const double fraction = periodSamples - 0.5 - static_cast<double>(delayLength);
  const double allpassCoeff = (1.0 - fraction) / (1.0 + fraction);
  const double loopGain = std::pow(10.0, -3.0 / (pluck.freqHz * pluck.t60S));

  // Excitation: lowpassed noise, mean removed (a DC offset would never decay),
  // then combed at the pick position, normalised to the velocity.
  std::vector<double> noise(delayLength);
  const double smoothing = 0.08 + 0.9 * pluck.brightness;
  double lowpassed = 0.0;
  for (double& value : noise) {
    lowpassed += smoothing * (rng.bipolar() - lowpassed);
    value = lowpassed;
  }
  double mean = 0.0;
  for (const double value : noise) mean += value;
  mean /= static_cast<double>(delayLength);
  const auto pickOffset = std::max<std::size_t>(
      1,
      static_cast<std::size_t>(std::lround(pluck.pickPosition * static_cast<double>(delayLength))));
  std::vector<double> line(delayLength);
  double excitationPeak = 1e-9;
  for (std::size_t i = 0; i < delayLength; ++i) {
    const double behind = i >= pickOffset ? noise[i - pickOffset] - mean : 0.0;
    line[i] = (noise[i] - mean) - behind;
    excitationPeak = std::max(excitationPeak, std::abs(line[i]));
  }
  for (double& value : line) value *= pluck.velocity / excitationPeak;

  constexpr double kReleaseS = 0.04;  // damping by the fretting hand
  const std::size_t start = toSample(pluck.startS, sampleRateHz);
  const std::size_t count =
      writableCount(out, start, toSample(pluck.durationS + kReleaseS, sampleRateHz));
  std::size_t index = 0;
  double previous = 0.0;
  double allpassIn = 0.0;
  double allpassOut = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    const double delayed = line[index];
    const double averaged = 0.5 * (delayed + previous);
    previous = delayed;
    allpassOut = allpassCoeff * averaged + allpassIn - allpassCoeff * allpassOut;
    allpassIn = averaged;
    line[index] = loopGain * allpassOut;
    index = index + 1 == delayLength ? 0 : index + 1;
    const double tS = static_cast<double>(i) / sampleRateHz;
    const double release =
        tS < pluck.durationS ? 1.0 : std::max(0.0, 1.0 - (tS - pluck.durationS) / kReleaseS);
    out[start + i] += static_cast<float>(delayed * release);
  }
}

}  // namespace demo
