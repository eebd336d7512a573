// Small synthesis toolkit for the demo song: a seeded generator, band-limited
// oscillators, a filter, drum voices and a plucked string. Everything here is
// deterministic: the same calls produce the same samples on every run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace demo {

using Buffer = std::vector<float>;

// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and seeded explicitly so
// the demo files are byte-identical from run to run.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  double uniform();  // [0, 1)
  double bipolar();  // [-1, 1)

 private:
  std::uint64_t state_;
};

double dbToGain(double db);
double gainToDb(double gain);
double midiToHz(double midiNote);
// Nearest sample index of a time; negative times map to 0.
std::size_t toSample(double timeS, double sampleRateHz);

// Oscillator with polyBLEP-corrected edges: naive saws and pulses alias
// audibly at pad and lead pitches.
class BlepOsc {
 public:
  void setFreq(double freqHz, double sampleRateHz) { phaseInc_ = freqHz / sampleRateHz; }
  void setPhase(double phase01) { phase_ = phase01; }
  double saw();
  double pulse(double width01);  // DC-free

 private:
  double phase_ = 0.0;
  double phaseInc_ = 0.0;
};

// Topology-preserving state-variable lowpass (Zavalishin): stays stable and
// click-free while its cutoff is modulated.
class LowpassSvf {
 public:
  void setCutoff(double cutoffHz, double q, double sampleRateHz);
  double process(double x);

 private:
  double a1_ = 1.0, a2_ = 0.0, a3_ = 0.0;
  double ic1_ = 0.0, ic2_ = 0.0;
};

// One-pole highpass used to thin out noise in the snare and cymbals.
class OnePoleHighpass {
 public:
  void setCutoff(double cutoffHz, double sampleRateHz);
  double process(double x);

 private:
  double coeff_ = 0.0;
  double prevIn_ = 0.0, prevOut_ = 0.0;
};

// Drum voices add one hit of the given velocity (0..1) at startS.
void addKick(Buffer& out, double sampleRateHz, double startS, double velocity, Rng& rng);
void addSnare(Buffer& out, double sampleRateHz, double startS, double velocity, Rng& rng);
// Hi-hat or cymbal: decayS ~0.05 closed, ~0.3 open, >1 crash.
void addCymbal(Buffer& out, double sampleRateHz, double startS, double velocity, double decayS,
               Rng& rng);

struct Pluck {
  double freqHz = 110.0;
  double startS = 0.0;
  double durationS = 1.0;     // the string is damped after this
  double velocity = 1.0;      // 0..1
  double t60S = 2.0;          // time to decay by 60 dB while ringing
  double brightness = 0.5;    // 0..1, lowpass of the pick noise
  double pickPosition = 0.2;  // 0..0.5 of the string length, shapes the timbre
};

// Karplus-Strong string (Jaffe and Smith 1983 extensions): an allpass
// fractional delay keeps it in tune, a loop gain sets the decay time.
void addPluck(Buffer& out, double sampleRateHz, const Pluck& pluck, Rng& rng);

}  // namespace demo
