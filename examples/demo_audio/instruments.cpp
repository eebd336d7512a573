// Synthesised tonal parts: bass, stereo pad ("keys") and the lead melody.
#include "song.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace demo {

namespace {

constexpr double kTwoPi = 6.283185307179586;
constexpr std::size_t kControlIntervalSamples = 16;  // filter cutoff update rate

// Linear attack, hold, linear release; 0 outside the note.
double noteEnvelope(double tS, double attackS, double holdS, double releaseS) {
  if (tS < 0.0) return 0.0;
  if (tS < holdS) return std::min(1.0, tS / attackS);
  return std::max(0.0, 1.0 - (tS - holdS) / releaseS);
}

std::size_t noteLength(const Buffer& out, std::size_t start, double lengthS, double sampleRateHz) {
  if (start >= out.size()) return 0;
  return std::min(toSample(lengthS, sampleRateHz), out.size() - start);
}

// Saw through an enveloped lowpass plus a sine at the fundamental for weight.
void addBassNote(Buffer& out, double sampleRateHz, double startS, double durationS, int midi,
                 double velocity) {
  constexpr double kReleaseS = 0.03;
  const double freqHz = midiToHz(midi);
  BlepOsc saw;
  saw.setFreq(freqHz, sampleRateHz);
  LowpassSvf filter;
  double sinePhase = 0.0;
  const std::size_t start = toSample(startS, sampleRateHz);
  const std::size_t count = noteLength(out, start, durationS + kReleaseS, sampleRateHz);
  for (std::size_t i = 0; i < count; ++i) {
    const double tS = static_cast<double>(i) / sampleRateHz;
    if (i % kControlIntervalSamples == 0)
      filter.setCutoff(160.0 + 1100.0 * velocity * std::exp(-tS / 0.12), 0.9, sampleRateHz);
    sinePhase += kTwoPi * freqHz / sampleRateHz;
    const double amp =
        noteEnvelope(tS, 0.004, durationS, kReleaseS) * (0.75 + 0.25 * std::exp(-tS / 0.2));
    const double y = filter.process(0.7 * saw.saw()) + 0.5 * std::sin(sinePhase);
    out[start + i] += static_cast<float>(velocity * amp * y);
  }
}

// Lead voice: saw plus a slightly detuned pulse, a plucky filter envelope and
// delayed vibrato as a singer or a player would add it.
void addLeadNote(Buffer& out, double sampleRateHz, double startS, double durationS, int midi,
                 double velocity, Rng& rng) {
  constexpr double kReleaseS = 0.12;
  const double baseHz = midiToHz(midi);
  BlepOsc saw;
  BlepOsc pulse;
  saw.setPhase(rng.uniform());
  pulse.setPhase(rng.uniform());
  LowpassSvf filter;
  const std::size_t start = toSample(startS, sampleRateHz);
  const std::size_t count = noteLength(out, start, durationS + kReleaseS, sampleRateHz);
  for (std::size_t i = 0; i < count; ++i) {
    const double tS = static_cast<double>(i) / sampleRateHz;
    const double vibratoCents =
        18.0 * std::clamp((tS - 0.2) / 0.4, 0.0, 1.0) * std::sin(kTwoPi * 5.2 * tS);
    const double freqHz = baseHz * std::exp2(vibratoCents / 1200.0);
    saw.setFreq(freqHz, sampleRateHz);
    pulse.setFreq(freqHz * 1.004, sampleRateHz);
    if (i % kControlIntervalSamples == 0)
      filter.setCutoff(1000.0 + 2500.0 * std::exp(-tS / 0.25) + 0.5 * baseHz, 1.1, sampleRateHz);
    const double raw = 0.55 * saw.saw() + 0.45 * pulse.pulse(0.35);
    const double amp =
        noteEnvelope(tS, 0.012, durationS, kReleaseS) * (0.8 + 0.2 * std::exp(-tS / 0.3));
    out[start + i] += static_cast<float>(velocity * amp * filter.process(raw));
  }
}

// Pad cutoff over the song: opens through the intro, bright in the chorus,
// closes on the last chord.
double padCutoffHz(double timeS) {
  struct Point {
    double timeS, cutoffHz;
  };
  static constexpr Point kCurve[] = {
    {0.0, 700.0},   {8.0, 1500.0},  {9.0, 1300.0},  {23.0, 1400.0},
    {24.0, 2800.0}, {36.0, 2800.0}, {40.0, 600.0},
  };
  for (std::size_t k = 1; k < std::size(kCurve); ++k) {
    if (timeS <= kCurve[k].timeS) {
      const Point& a = kCurve[k - 1];
      const Point& b = kCurve[k];
      return a.cutoffHz + (b.cutoffHz - a.cutoffHz) * (timeS - a.timeS) / (b.timeS - a.timeS);
    }
  }
  return kCurve[std::size(kCurve) - 1].cutoffHz;
}

}  // namespace

void renderBass(std::vector<Buffer>& channels, double sampleRateHz) {
  struct StepNote {
    int step;
    int semitones;  // above the chord root
    int lengthSteps;
  };
  Rng rng(0x62617373ULL);
  for (int bar = 0; bar < kBars; ++bar) {
    const int root = bassRootMidi(chordOfBar(bar));
    std::vector<StepNote> notes;
    switch (sectionOfBar(bar)) {
      case Section::intro:
        if (bar >= 2) notes = {{0, 0, 15}};
        break;
      case Section::verse:  // locks to the kick, fifth or octave leads into the next bar
        notes = {{0, 0, 3},
                 {3, 0, 3},
                 {6, 0, 2},
                 {8, 0, 2},
                 {10, 0, 2},
                 {12, 0, 2},
                 {14, bar % 2 == 0 ? 7 : 12, 2}};
        break;
      case Section::chorus:  // octave eighths drive the chorus
        for (int step = 0; step < 16; step += 2) notes.push_back({step, (step / 2) % 2 * 12, 2});
        break;
      case Section::outro:
        if (bar == 18) notes = {{0, 0, 28}};
        break;
    }
    for (const StepNote& note : notes) {
      if (note.step >= fillStartStep(bar)) continue;  // room for the drum fill
      const double velocity = (note.step % 4 == 0 ? 0.95 : 0.8) * (1.0 - 0.05 * rng.uniform());
      addBassNote(channels[0], sampleRateHz, stepTimeS(bar, note.step),
                  0.9 * note.lengthSteps * kStepS, root + note.semitones, velocity);
    }
  }
}

void renderKeys(std::vector<Buffer>& channels, double sampleRateHz) {
  constexpr double kDetuneCents = 7.0;
  constexpr double kSpreadRateHz = 0.09;  // slow movement of each voice across the stereo field
  Buffer& left = channels[0];
  Buffer& right = channels[1];
  Rng rng(0x6B657973ULL);
  // The last bar is covered by the outro chord, held from the bar before.
  for (int bar = 0; bar < kBars - 1; ++bar) {
    const Section section = sectionOfBar(bar);
    const std::array<int, 3>& pad = padVoicingMidi(chordOfBar(bar));
    std::vector<int> voicing(pad.begin(), pad.end());
    if (section == Section::chorus) voicing.push_back(voicing.front() + 12);  // fuller chorus
    const double level = section == Section::verse ? 0.55 : (section == Section::intro ? 0.8 : 0.9);
    const double attackS = section == Section::intro ? 0.5 : 0.12;
    const double holdS = section == Section::outro ? 3.0 : kBarS;
    const double releaseS = section == Section::outro ? 0.9 : 0.45;
    const double startS = bar * kBarS;
    const std::size_t start = toSample(startS, sampleRateHz);
    const std::size_t count = noteLength(left, start, holdS + releaseS, sampleRateHz);
    for (std::size_t v = 0; v < voicing.size(); ++v) {
      // Two oscillators per note, detuned apart and moving in opposite
      // directions across the stereo field.
      const double freqHz = midiToHz(voicing[v]);
      BlepOsc sharp;
      BlepOsc flat;
      sharp.setFreq(freqHz * std::exp2(kDetuneCents / 1200.0), sampleRateHz);
      flat.setFreq(freqHz * std::exp2(-kDetuneCents / 1200.0), sampleRateHz);
      sharp.setPhase(rng.uniform());
      flat.setPhase(rng.uniform());
      const double spreadPhase = 2.1 * static_cast<double>(v);
      const double gain = level / static_cast<double>(voicing.size());
      double gainNear = 0.0;  // sharp to left, flat to right
      double gainFar = 0.0;   // sharp to right, flat to left
      for (std::size_t i = 0; i < count; ++i) {
        const double tS = static_cast<double>(i) / sampleRateHz;
        if (i % kControlIntervalSamples == 0) {
          // Constant-power placement: the sharp oscillator at pan01 (0 left,
          // 1 right), the flat one mirrored.
          const double pan01 =
              0.5 + 0.4 * std::sin(kTwoPi * kSpreadRateHz * (startS + tS) + spreadPhase);
          gainNear = std::cos(0.25 * kTwoPi * pan01);
          gainFar = std::sin(0.25 * kTwoPi * pan01);
        }
        const double amp = gain * noteEnvelope(tS, attackS, holdS, releaseS);
        const double sharpSample = sharp.saw() * amp;
        const double flatSample = flat.saw() * amp;
        left[start + i] += static_cast<float>(sharpSample * gainNear + flatSample * gainFar);
        right[start + i] += static_cast<float>(sharpSample * gainFar + flatSample * gainNear);
      }
    }
  }
  for (Buffer* channel : {&left, &right}) {
    LowpassSvf filter;
    for (std::size_t i = 0; i < channel->size(); ++i) {
      if (i % kControlIntervalSamples == 0)
        filter.setCutoff(padCutoffHz(static_cast<double>(i) / sampleRateHz), 0.8, sampleRateHz);
      (*channel)[i] = static_cast<float>(filter.process((*channel)[i]));
    }
  }
}

void renderLead(std::vector<Buffer>& channels, double sampleRateHz) {
  struct MelodyNote {
    int bar;
    double beat;
    double lengthBeats;
    int midi;
  };
  // Verse: two four-bar phrases between G4 and G5; the chorus sits higher,
  // up to A5, and resolves B4-A4 onto the final chord.
  static constexpr MelodyNote kMelody[] = {
    {4, 0, 1.5, 76}, {4, 1.5, 0.5, 74}, {4, 2, 1, 72}, {4, 3, 1, 69},
    {5, 0, 1, 72}, {5, 1, 1, 69}, {5, 2, 0.5, 72}, {5, 2.5, 0.5, 74}, {5, 3, 1, 72},
    {6, 0, 2, 76}, {6, 2, 1, 74}, {6, 3, 1, 72},
    {7, 0, 1.5, 74}, {7, 1.5, 0.5, 71}, {7, 2, 2, 67},
    {8, 0, 1, 76}, {8, 1, 0.5, 76}, {8, 1.5, 0.5, 74}, {8, 2, 1, 72}, {8, 3, 1, 69},
    {9, 0, 0.5, 69}, {9, 0.5, 0.5, 72}, {9, 1, 1.5, 77}, {9, 2.5, 0.5, 76}, {9, 3, 1, 72},
    {10, 0, 1.5, 79}, {10, 1.5, 0.5, 76}, {10, 2, 1, 72}, {10, 3, 1, 76},
    {11, 0, 3, 74},
    {12, 0, 1.5, 81}, {12, 1.5, 0.5, 79}, {12, 2, 1, 77}, {12, 3, 1, 76},
    {13, 0, 1.5, 79}, {13, 1.5, 0.5, 76}, {13, 2, 2, 72},
    {14, 0, 1, 74}, {14, 1, 1, 79}, {14, 2, 1, 71}, {14, 3, 1, 74},
    {15, 0, 2, 81}, {15, 2, 1, 76}, {15, 3, 1, 72},
    {16, 0, 1.5, 81}, {16, 1.5, 0.5, 79}, {16, 2, 1, 77}, {16, 3, 1, 81},
    {17, 0, 1.5, 79}, {17, 1.5, 0.5, 77}, {17, 2, 1, 76}, {17, 3, 1, 71},
    {18, 0, 6, 69},
  };
  Rng rng(0x6C656164ULL);
  for (const MelodyNote& note : kMelody) {
    const double accent = note.beat == 0.0 ? 1.0 : 0.88;
    // Slightly detached phrasing: each note stops 20 ms before the next.
    addLeadNote(channels[0], sampleRateHz, beatTimeS(note.bar, note.beat) + 0.004 * rng.bipolar(),
                note.lengthBeats * kBeatS - 0.02, note.midi, accent * (1.0 - 0.05 * rng.uniform()),
                rng);
  }
}

}  // namespace demo
