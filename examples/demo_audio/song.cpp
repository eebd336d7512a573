#include "song.h"

namespace demo {

Section sectionOfBar(int bar) {
  if (bar < 4) return Section::intro;
  if (bar < 12) return Section::verse;
  if (bar < 18) return Section::chorus;
  return Section::outro;
}

int fillStartStep(int bar) {
  switch (bar) {
    case 3: return 12;   // one-beat fill into the verse
    case 11: return 8;   // two-beat fill into the chorus
    case 17: return 10;  // fill into the final chord
    default: return 16;
  }
}

double stepTimeS(int bar, int step) { return bar * kBarS + step * kStepS; }

double beatTimeS(int bar, double beat) { return bar * kBarS + beat * kBeatS; }

Chord chordOfBar(int bar) {
  // Intro and verse cycle Am-F-C-G; the chorus starts on F and turns
  // F-G back to Am for the ending.
  static constexpr std::array<Chord, kBars> kChords = {
    kAm, kF, kC, kG,                   // intro
    kAm, kF, kC, kG, kAm, kF, kC, kG,  // verse
    kF,  kC, kG, kAm, kF, kG,          // chorus
    kAm, kAm,                          // outro
  };
  return kChords[static_cast<std::size_t>(bar)];
}

int bassRootMidi(Chord chord) {
  static constexpr std::array<int, 4> kRoots = {33, 29, 36, 31};  // A1 F1 C2 G1
  return kRoots[static_cast<std::size_t>(chord)];
}

const std::array<int, 6>& guitarVoicingMidi(Chord chord) {
  static const std::array<std::array<int, 6>, 4> kVoicings = {{
    {-1, 45, 52, 57, 60, 64},  // Am  x02210
    {41, 48, 53, 57, 60, 65},  // F   133211
    {-1, 48, 52, 55, 60, 64},  // C   x32010
    {43, 47, 50, 55, 59, 67},  // G   320003
  }};
  return kVoicings[static_cast<std::size_t>(chord)];
}

const std::array<int, 3>& padVoicingMidi(Chord chord) {
  static const std::array<std::array<int, 3>, 4> kVoicings = {{
    {57, 60, 64},  // Am: A3 C4 E4
    {57, 60, 65},  // F:  A3 C4 F4
    {55, 60, 64},  // C:  G3 C4 E4
    {55, 59, 62},  // G:  G3 B3 D4
  }};
  return kVoicings[static_cast<std::size_t>(chord)];
}

const std::vector<TrackRecipe>& demoTracks() {
  // Peak levels typical of a recorded multitrack: the loudest parts near
  // -2 dBFS, supporting parts lower, nothing at full scale. The hats are at
  // 44.1 kHz on purpose so the demo session exercises resampling.
  static const std::vector<TrackRecipe> kTracks = {
    {"kick", 48000, 1, kSongS, -2.0, renderKick},
    {"snare", 48000, 1, kSongS, -3.0, renderSnare},
    {"hats", 44100, 1, kSongS, -6.0, renderHats},
    {"bass", 48000, 1, kSongS, -3.0, renderBass},
    {"keys", 48000, 2, kSongS, -4.0, renderKeys},
    {"guitar_l", 48000, 1, kSongS, -4.5, renderGuitarL},
    {"guitar_r", 48000, 1, kSongS, -4.0, renderGuitarR},
    {"lead", 48000, 1, kSongS, -3.0, renderLead},
    {"reference", 48000, 2, kSongS, -1.0, renderReference},
    {"hall_ir", 44100, 2, 3.0, -1.0, renderHallImpulseResponse},
  };
  return kTracks;
}

}  // namespace demo
