// One track of the synthetic multitrack song `make bench` mixes: 48 kHz,
// 24-bit WAV, deterministic (the same index and length give the same file on
// every machine, so every tool and every run reads the same inputs).
//
//   make_bench_corpus OUT.wav TRACK_INDEX SECONDS
//
// The song is 120 bpm, a four-chord loop (one chord per bar) in 16-bar
// sections; each track sits out some sections, as parts do in an arrangement.
// The index picks the part (eight roles in turn: kick, bass, snare, pad, hats,
// lead, pluck, keys), its octave, its seed and its rests; every 4th track (the
// pad and the keys) is stereo. The signals are cheap but musically shaped:
// pitched tones and filtered noise under envelopes, so EQs, compressors and
// the reverb see transients, sustained notes and silences, not stationary
// noise. Samples are made block by block, so a 900 s track needs no more
// memory than a 1 s one.

#include <sndfile.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

constexpr int kSampleRate = 48000;
constexpr double kPi = 3.14159265358979323846;
constexpr double kTwoPi = 2.0 * kPi;
constexpr int kFramesPerStep = kSampleRate / 8;  // a 16th note at 120 bpm
constexpr int kStepsPerBar = 16;
constexpr int kBarsPerSection = 16;
constexpr int kBlockFrames = 4096;

// The chord loop (I - V - vi - IV in C): MIDI notes of each chord, root first.
constexpr std::array<std::array<int, 3>, 4> kChords = {{{48, 52, 55}, {43, 47, 50}, {45, 48, 52}, {41, 45, 48}}};
constexpr std::array<int, 5> kPentatonic = {0, 2, 4, 7, 9};

enum class Role { Kick, Bass, Snare, Pad, Hats, Lead, Pluck, Keys };

/** SplitMix64: a tiny generator whose output is the same on every platform (std:: distributions are not). */
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double bipolar() { return 2.0 * uniform() - 1.0; }
  int below(int count) { return static_cast<int>(next() % static_cast<std::uint64_t>(count)); }

 private:
  std::uint64_t state_;
};

double midiToHz(double note) { return 440.0 * std::pow(2.0, (note - 69.0) / 12.0); }

/** Per-sample multiplier of an exponential decay with time constant `seconds`. */
double decayPerSample(double seconds) { return std::exp(-1.0 / (seconds * kSampleRate)); }

/** One-pole lowpass; `highpass` returns the input minus the lowpassed input. */
class OnePole {
 public:
  void setCutoff(double hz) { coefficient_ = 1.0 - std::exp(-kTwoPi * hz / kSampleRate); }
  double lowpass(double input) { return state_ += coefficient_ * (input - state_); }
  double highpass(double input) { return input - lowpass(input); }

 private:
  double coefficient_ = 1.0;
  double state_ = 0.0;
};

/** A part of the song. Each role keeps only the state it needs; render() is called once per frame. */
class Part {
 public:
  explicit Part(int trackIndex) : role_(static_cast<Role>(trackIndex % 8)), random_(0xB3A7C0FFEEULL + static_cast<std::uint64_t>(trackIndex)) {
    // Later copies of a role play an octave higher or lower, so 64 tracks are not 8 clones.
    octave_ = std::array<int, 4>{0, 12, -12, 24}[static_cast<std::size_t>(trackIndex / 8 % 4)];
    if (role_ == Role::Kick || role_ == Role::Snare || role_ == Role::Hats) octave_ = 0;
    tone_.setCutoff(role_ == Role::Bass ? 700.0 : 2500.0);
    padRight_.setCutoff(2500.0);
    noiseLow_.setCutoff(role_ == Role::Hats ? 7000.0 : 1800.0);
    noiseHigh_.setCutoff(role_ == Role::Hats ? 9000.0 : 300.0);
    restSeed_ = 0x5EC7ULL * static_cast<std::uint64_t>(trackIndex + 1);
  }

  int channels() const { return role_ == Role::Pad || role_ == Role::Keys ? 2 : 1; }

  void render(std::int64_t frame, double& left, double& right) {
    if (frame % kFramesPerStep == 0) startStep(frame / kFramesPerStep);
    double mono = 0.0;
    switch (role_) {
      case Role::Kick: mono = kick(); break;
      case Role::Bass: mono = bass(); break;
      case Role::Snare: mono = snare(); break;
      case Role::Hats: mono = hats(); break;
      case Role::Lead: mono = lead(); break;
      case Role::Pluck: mono = pluck(); break;
      case Role::Pad: stereoPad(left, right); return;
      case Role::Keys: stereoKeys(left, right); return;
    }
    left = right = mono;
  }

 private:
  /** Whether this part plays in a section: the first section is for everyone, later ones drop a quarter of the parts. */
  bool playsInSection(std::int64_t section) const {
    if (section == 0) return true;
    Random pick(restSeed_ ^ static_cast<std::uint64_t>(section) * 0x9E37ULL);
    return pick.below(4) != 0;
  }

  void startStep(std::int64_t step) {
    const int inBar = static_cast<int>(step % kStepsPerBar);
    const std::int64_t bar = step / kStepsPerBar;
    const auto& chord = kChords[static_cast<std::size_t>(bar % 4)];
    playing_ = playsInSection(bar / kBarsPerSection);
    if (!playing_) return;
    switch (role_) {
      case Role::Kick:
        if (inBar % 4 == 0) { amplitude_ = 0.8; pitchEnvelope_ = 1.0; phase_ = 0.0; }
        break;
      case Role::Snare:
        if (inBar == 4 || inBar == 12) { amplitude_ = 0.5; toneAmplitude_ = 0.35; }
        break;
      case Role::Hats:
        amplitude_ = inBar % 2 == 0 ? 0.35 : 0.15 + 0.1 * random_.uniform();
        break;
      case Role::Bass:
        if (inBar % 2 == 0) startNote(chord[0] + octave_ - 12 + (inBar == 14 ? 7 : 0), 0.45);
        break;
      case Role::Lead:
        if (inBar % 2 == 0 && random_.below(3) != 0) {
          startNote(72 + octave_ + kPentatonic[static_cast<std::size_t>(random_.below(5))] + 12 * random_.below(2) - 12, 0.3);
        }
        break;
      case Role::Pluck:
        startPluck(midiToHz(chord[static_cast<std::size_t>(inBar % 3)] + 12 + octave_));
        break;
      case Role::Pad:
        if (inBar == 0) { chord_ = chord; padTarget_ = 0.12; }
        break;
      case Role::Keys:
        if (inBar % 4 == 2) { chord_ = chord; amplitude_ = 0.22; }
        break;
    }
  }

  void startNote(double note, double amplitude) {
    frequency_ = midiToHz(note);
    amplitude_ = amplitude;
    attack_ = 0.0;
  }

  void startPluck(double frequency) {
    pluckLine_.assign(static_cast<std::size_t>(kSampleRate / frequency), 0.0);
    for (double& sample : pluckLine_) sample = 0.3 * random_.bipolar();
    pluckIndex_ = 0;
  }

  /** Advances the running phase by one frame of `frequency` Hz and returns it in radians. */
  double advance(double& phase, double frequency) {
    phase += frequency / kSampleRate;
    phase -= std::floor(phase);
    return kTwoPi * phase;
  }

  double kick() {
    const double value = amplitude_ * std::sin(advance(phase_, 45.0 + 90.0 * pitchEnvelope_));
    pitchEnvelope_ *= decayPerSample(0.03);
    amplitude_ *= decayPerSample(0.18);
    return value;
  }

  double snare() {
    const double body = noiseHigh_.highpass(noiseLow_.lowpass(random_.bipolar()));
    const double value = amplitude_ * body + toneAmplitude_ * std::sin(advance(phase_, 185.0));
    amplitude_ *= decayPerSample(0.12);
    toneAmplitude_ *= decayPerSample(0.05);
    return value;
  }

  double hats() {
    const double value = amplitude_ * noiseHigh_.highpass(random_.bipolar());
    amplitude_ *= decayPerSample(0.035);
    return value;
  }

  double bass() {
    // A sawtooth from its first five harmonics, softened by a lowpass, with a 5 ms attack and a decay to silence.
    const double angle = advance(phase_, frequency_);
    double saw = 0.0;
    for (int harmonic = 1; harmonic <= 5; ++harmonic) saw += std::sin(harmonic * angle) / harmonic;
    attack_ = std::min(1.0, attack_ + 1.0 / (0.005 * kSampleRate));
    const double value = amplitude_ * attack_ * tone_.lowpass(0.6 * saw);
    amplitude_ *= decayPerSample(0.4);
    return value;
  }

  double lead() {
    // Sine with two harmonics and a 5 Hz vibrato; 20 ms attack, slow decay.
    const double vibrato = 1.0 + 0.004 * std::sin(advance(vibratoPhase_, 5.0));
    const double angle = advance(phase_, frequency_ * vibrato);
    attack_ = std::min(1.0, attack_ + 1.0 / (0.02 * kSampleRate));
    const double value = amplitude_ * attack_ * (std::sin(angle) + 0.3 * std::sin(2.0 * angle) + 0.1 * std::sin(3.0 * angle));
    amplitude_ *= decayPerSample(0.6);
    return value;
  }

  double pluck() {
    // Karplus-Strong: a noise burst recirculating through an averaging delay line.
    if (pluckLine_.empty()) return 0.0;
    const std::size_t next = (pluckIndex_ + 1) % pluckLine_.size();
    const double value = pluckLine_[pluckIndex_];
    pluckLine_[pluckIndex_] = 0.497 * (value + pluckLine_[next]);
    pluckIndex_ = next;
    return value;
  }

  void stereoPad(double& left, double& right) {
    // Each chord tone as two detuned triangles, one per side, swelling in over about half a second.
    const double target = playing_ ? padTarget_ : 0.0;
    amplitude_ += (target - amplitude_) * (1.0 - decayPerSample(0.4));
    left = right = 0.0;
    for (std::size_t voice = 0; voice < 3; ++voice) {
      const double frequency = midiToHz(chord_[voice] + 12 + octave_);
      left += triangle(advance(padPhases_[2 * voice], frequency * 1.003));
      right += triangle(advance(padPhases_[2 * voice + 1], frequency * 0.997));
    }
    left = amplitude_ * tone_.lowpass(left);
    right = amplitude_ * padRight_.lowpass(right);
  }

  void stereoKeys(double& left, double& right) {
    // Off-beat chord stabs of decaying harmonic tones, brighter on the left, rounder on the right.
    left = right = 0.0;
    for (std::size_t voice = 0; voice < 3; ++voice) {
      const double angle = advance(padPhases_[voice], midiToHz(chord_[voice] + 24 + octave_));
      left += std::sin(angle) + 0.25 * std::sin(3.0 * angle);
      right += std::sin(angle) + 0.1 * std::sin(2.0 * angle);
    }
    left *= amplitude_;
    right *= amplitude_;
    amplitude_ *= decayPerSample(0.25);
  }

  static double triangle(double angle) { return 2.0 / kPi * std::asin(std::sin(angle)); }

  Role role_;
  Random random_;
  std::uint64_t restSeed_ = 0;
  int octave_ = 0;
  bool playing_ = true;
  double amplitude_ = 0.0, toneAmplitude_ = 0.0, pitchEnvelope_ = 0.0, attack_ = 0.0;
  double phase_ = 0.0, vibratoPhase_ = 0.0, frequency_ = 110.0, padTarget_ = 0.0;
  std::array<double, 6> padPhases_{};
  std::array<int, 3> chord_ = kChords[0];
  OnePole tone_, padRight_, noiseLow_, noiseHigh_;
  std::vector<double> pluckLine_;
  std::size_t pluckIndex_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: make_bench_corpus OUT.wav TRACK_INDEX SECONDS\n");
    return 2;
  }
  const std::string path = argv[1];
  const int trackIndex = std::atoi(argv[2]);
  const double seconds = std::strtod(argv[3], nullptr);
  if (trackIndex < 0 || !(seconds > 0.0)) {
    std::fprintf(stderr, "make_bench_corpus: TRACK_INDEX must be >= 0 and SECONDS > 0\n");
    return 2;
  }

  Part part(trackIndex);
  SF_INFO info{};
  info.samplerate = kSampleRate;
  info.channels = part.channels();
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) {
    std::fprintf(stderr, "make_bench_corpus: %s: %s\n", path.c_str(), sf_strerror(nullptr));
    return 1;
  }

  const auto totalFrames = static_cast<std::int64_t>(std::llround(seconds * kSampleRate));
  std::vector<float> block(static_cast<std::size_t>(kBlockFrames * info.channels));
  for (std::int64_t start = 0; start < totalFrames; start += kBlockFrames) {
    const std::int64_t frames = std::min<std::int64_t>(kBlockFrames, totalFrames - start);
    for (std::int64_t n = 0; n < frames; ++n) {
      double left = 0.0, right = 0.0;
      part.render(start + n, left, right);
      const auto at = static_cast<std::size_t>(n * info.channels);
      block[at] = static_cast<float>(left);
      if (info.channels == 2) block[at + 1] = static_cast<float>(right);
    }
    if (sf_writef_float(file, block.data(), frames) != frames) {
      std::fprintf(stderr, "make_bench_corpus: %s: %s\n", path.c_str(), sf_strerror(file));
      sf_close(file);
      return 1;
    }
  }
  return sf_close(file) == 0 ? 0 : 1;
}
