// Two plucked-string guitar parts meant to be panned apart: guitar_l picks an
// arpeggio, guitar_r strums and chops the chords.
#include "song.h"

#include <algorithm>
#include <array>
#include <vector>

namespace demo {

namespace {

constexpr double kGuitarJitterS = 0.004;

// How a string is played: open and ringing, or palm-muted.
struct Touch {
  double t60S;
  double brightness;
  double pickPosition;
};

constexpr Touch kArpTouch = {1.6, 0.5, 0.22};    // rounder, picked near the neck
constexpr Touch kOpenStrum = {2.0, 0.75, 0.13};  // bright, near the bridge
constexpr Touch kMutedStrum = {0.25, 0.35, 0.13};
// The last chord of the song rings longer than any other.
constexpr Touch kFinalArp = {2.5, 0.5, 0.22};
constexpr Touch kFinalStrum = {3.0, 0.7, 0.13};

void addNote(Buffer& out, double sampleRateHz, int midi, double startS, double durationS,
             double velocity, const Touch& touch, Rng& rng) {
  Pluck pluck;
  pluck.freqHz = midiToHz(midi);
  pluck.startS = startS;
  pluck.durationS = durationS;
  pluck.velocity = velocity;
  pluck.t60S = touch.t60S;
  pluck.brightness = touch.brightness;
  pluck.pickPosition = touch.pickPosition;
  addPluck(out, sampleRateHz, pluck, rng);
}

// A down strum sweeps low to high over every played string; an up strum
// catches only the top four strings, high to low, and is lighter.
void addStrum(Buffer& out, double sampleRateHz, Chord chord, bool down, double startS,
              double durationS, double velocity, const Touch& touch, Rng& rng) {
  const std::array<int, 6>& voicing = guitarVoicingMidi(chord);
  constexpr double kStringSpacingS = 0.012;
  std::vector<int> strings;
  if (down) {
    for (const int midi : voicing)
      if (midi >= 0) strings.push_back(midi);
  } else {
    for (std::size_t s = voicing.size(); s-- > 2;) strings.push_back(voicing[s]);
  }
  const double strokeVelocity = down ? velocity : 0.75 * velocity;
  for (std::size_t k = 0; k < strings.size(); ++k) {
    const double offsetS = static_cast<double>(k) * kStringSpacingS + 0.001 * rng.bipolar();
    const double stringVelocity = strokeVelocity * (1.0 - 0.05 * static_cast<double>(k));
    addNote(out, sampleRateHz, strings[k], startS + offsetS, durationS - offsetS, stringVelocity,
            touch, rng);
  }
}

}  // namespace

void renderGuitarL(std::vector<Buffer>& channels, double sampleRateHz) {
  // String index per eighth note; the first pick is the lowest played string.
  constexpr std::array<int, 8> kLowArp = {-1, 2, 3, 4, 5, 4, 3, 2};
  constexpr std::array<int, 8> kHighArp = {2, 3, 4, 5, 3, 4, 5, 4};
  Buffer& out = channels[0];
  Rng rng(0x6775697461724CULL);
  for (int bar = 0; bar < kBars; ++bar) {
    const Section section = sectionOfBar(bar);
    const Chord chord = chordOfBar(bar);
    const std::array<int, 6>& voicing = guitarVoicingMidi(chord);
    if (section == Section::outro) {
      if (bar != 18) continue;
      // Slow roll of the final chord, left to ring.
      for (std::size_t s = 0; s < voicing.size(); ++s) {
        if (voicing[s] < 0) continue;
        const double startS = stepTimeS(bar, 0) + 0.08 * static_cast<double>(s);
        addNote(out, sampleRateHz, voicing[s], startS, 3.6, 0.7, kFinalArp, rng);
      }
      continue;
    }
    // Up an octave in the chorus for lift; quieter under the verse melody.
    const bool high = section == Section::chorus;
    const double velocity = section == Section::intro ? 0.8 : (high ? 0.75 : 0.6);
    const std::size_t lowest = voicing[0] >= 0 ? 0 : 1;
    const double barEndS = stepTimeS(bar + 1, 0);
    for (std::size_t eighth = 0; eighth < 8; ++eighth) {
      const int index = high ? kHighArp[eighth] : kLowArp[eighth];
      const std::size_t string = index < 0 ? lowest : static_cast<std::size_t>(index);
      const double startS =
          stepTimeS(bar, static_cast<int>(2 * eighth)) + kGuitarJitterS * rng.bipolar();
      // Notes ring into each other until the chord changes.
      const double durationS = std::min(1.5, barEndS + 0.05 - startS);
      const double accent = eighth % 2 == 0 ? 1.0 : 0.85;
      addNote(out, sampleRateHz, voicing[string] + (high ? 12 : 0), startS, durationS,
              velocity * accent * (1.0 - 0.08 * rng.uniform()), kArpTouch, rng);
    }
  }
}

void renderGuitarR(std::vector<Buffer>& channels, double sampleRateHz) {
  struct Stroke {
    int step;
    bool down;
    bool muted;
  };
  // Verse: a ringing downbeat, muted chops, a short ring on the offbeats.
  static const std::vector<Stroke> kVerse = {
    {0, true, false}, {4, true, true},  {6, false, true},
    {8, true, false}, {12, true, true}, {14, false, false},
  };
  // Chorus: the common down, down-up, up-down-up pattern, all ringing.
  static const std::vector<Stroke> kChorus = {
    {0, true, false},   {4, true, false},  {6, false, false},
    {10, false, false}, {12, true, false}, {14, false, false},
  };
  static const std::vector<Stroke> kFill = {{0, true, false}, {8, true, false}};
  Buffer& out = channels[0];
  Rng rng(0x6775697461725253ULL);
  for (int bar = 0; bar < kBars; ++bar) {
    const Section section = sectionOfBar(bar);
    const Chord chord = chordOfBar(bar);
    if (section == Section::intro) {
      if (bar >= 2)
        addStrum(out, sampleRateHz, chord, true, stepTimeS(bar, 0), 1.9, 0.6, kOpenStrum, rng);
      continue;
    }
    if (section == Section::outro) {
      if (bar == 18)
        addStrum(out, sampleRateHz, chord, true, stepTimeS(bar, 0), 3.7, 1.0, kFinalStrum, rng);
      continue;
    }
    const std::vector<Stroke>& strokes =
        fillStartStep(bar) < 16 ? kFill : (section == Section::chorus ? kChorus : kVerse);
    const double velocity = section == Section::chorus ? 1.0 : 0.8;
    for (std::size_t k = 0; k < strokes.size(); ++k) {
      const Stroke& stroke = strokes[k];
      const int nextStep = k + 1 < strokes.size() ? strokes[k + 1].step : 16;
      // Open strokes ring until the next stroke; muted ones are short chops.
      const double durationS = stroke.muted ? 0.08 : (nextStep - stroke.step) * kStepS + 0.02;
      addStrum(out, sampleRateHz, chord, stroke.down,
               stepTimeS(bar, stroke.step) + kGuitarJitterS * rng.bipolar(), durationS,
               velocity * (1.0 - 0.08 * rng.uniform()), stroke.muted ? kMutedStrum : kOpenStrum,
               rng);
    }
  }
}

}  // namespace demo
