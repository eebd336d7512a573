// Arrangement of the demo song: tempo, form, harmony, and the list of tracks
// with the function that renders each one.
#pragma once

#include "synth.h"

#include <array>
#include <string>
#include <vector>

namespace demo {

// 120 bpm in 4/4: a beat is 0.5 s, a bar 2 s, so 20 bars make 40 s.
constexpr double kTempoBpm = 120.0;
constexpr double kBeatS = 60.0 / kTempoBpm;
constexpr double kStepS = kBeatS / 4.0;  // one sixteenth note
constexpr double kBarS = 4.0 * kBeatS;
constexpr int kBars = 20;
constexpr double kSongS = kBars * kBarS;

// Form (bars counted from 0): 0-3 intro, 4-11 verse, 12-17 chorus, 18-19 outro.
enum class Section { intro, verse, chorus, outro };
Section sectionOfBar(int bar);

// First sixteenth step (0..15) of the drum fill that ends a bar, 16 if none.
// Other parts thin out from that step to leave room for the fill.
int fillStartStep(int bar);

// Start time of sixteenth step 0..15, or of a (fractional) beat, of a bar.
double stepTimeS(int bar, int step);
double beatTimeS(int bar, double beat);

// Chords: 0 Am, 1 F, 2 C, 3 G.
enum Chord : int { kAm = 0, kF = 1, kC = 2, kG = 3 };
Chord chordOfBar(int bar);
// Root note (MIDI) in the bass register.
int bassRootMidi(Chord chord);
// Open-position guitar voicing, strings low E to high e, -1 for an unplayed string.
const std::array<int, 6>& guitarVoicingMidi(Chord chord);
// Close-position pad voicing around middle C, chosen for smooth voice leading.
const std::array<int, 3>& padVoicingMidi(Chord chord);

// Renderers: each adds its part into pre-sized, zeroed channel buffers.
void renderKick(std::vector<Buffer>& channels, double sampleRateHz);
void renderSnare(std::vector<Buffer>& channels, double sampleRateHz);
void renderHats(std::vector<Buffer>& channels, double sampleRateHz);
void renderBass(std::vector<Buffer>& channels, double sampleRateHz);
void renderKeys(std::vector<Buffer>& channels, double sampleRateHz);
void renderGuitarL(std::vector<Buffer>& channels, double sampleRateHz);
void renderGuitarR(std::vector<Buffer>& channels, double sampleRateHz);
void renderLead(std::vector<Buffer>& channels, double sampleRateHz);
// Not a track: another mix of the song, the demo session's reference (reference.cpp).
void renderReference(std::vector<Buffer>& channels, double sampleRateHz);
// Not a track: the impulse response the convolution demo session uses.
void renderHallImpulseResponse(std::vector<Buffer>& channels, double sampleRateHz);

struct TrackRecipe {
  std::string name;  // file is <name>.wav
  int sampleRateHz;
  int channelCount;
  double durationS;  // kSongS for the song's tracks
  double peakDbfs;  // the track is scaled so its sample peak lands here
  void (*render)(std::vector<Buffer>& channels, double sampleRateHz);
};

// All files of the demo (the song's tracks, then the impulse response), in the order they are written.
const std::vector<TrackRecipe>& demoTracks();

}  // namespace demo
