// Drum parts: a kick, snare and hi-hat/cymbal track on a sixteenth-note grid,
// with small random timing and velocity offsets so the groove is not rigid.
#include "song.h"

#include <vector>

namespace demo {

namespace {

struct Hit {
  int step;         // sixteenth 0..15
  double velocity;  // 0..1
};

constexpr double kDrumJitterS = 0.002;

// Sixteenths from fillStart to the end of the bar, getting louder.
void appendFill(std::vector<Hit>& hits, int fillStart, double firstVelocity) {
  const int count = 16 - fillStart;
  for (int k = 0; k < count; ++k) {
    const double progress = count > 1 ? static_cast<double>(k) / (count - 1) : 1.0;
    hits.push_back({fillStart + k, firstVelocity + (1.0 - firstVelocity) * progress});
  }
}

double jitteredTimeS(int bar, int step, Rng& rng) {
  return stepTimeS(bar, step) + kDrumJitterS * rng.bipolar();
}

}  // namespace

void renderKick(std::vector<Buffer>& channels, double sampleRateHz) {
  Rng rng(0x6B69636BULL);
  for (int bar = 0; bar < kBars; ++bar) {
    std::vector<Hit> hits;
    switch (sectionOfBar(bar)) {
      case Section::intro:
        if (bar >= 2) hits = {{0, 0.8}, {8, 0.7}};  // half-time entry
        break;
      case Section::verse:
        if (fillStartStep(bar) < 16)
          hits = {{0, 1.0}, {6, 0.7}};
        else if (bar % 2 == 0)
          hits = {{0, 1.0}, {8, 0.85}, {10, 0.7}};
        else
          hits = {{0, 1.0}, {6, 0.7}, {8, 0.85}};
        break;
      case Section::chorus:  // four on the floor lifts the chorus
        hits = {{0, 1.0}, {4, 0.9}, {8, 1.0}};
        if (fillStartStep(bar) > 12) hits.push_back({12, 0.9});
        break;
      case Section::outro:
        if (bar == 18) hits = {{0, 1.0}};
        break;
    }
    for (const Hit& hit : hits)
      addKick(channels[0], sampleRateHz, jitteredTimeS(bar, hit.step, rng),
              hit.velocity * (1.0 - 0.05 * rng.uniform()), rng);
  }
}

void renderSnare(std::vector<Buffer>& channels, double sampleRateHz) {
  Rng rng(0x736E617265ULL);
  for (int bar = 0; bar < kBars; ++bar) {
    const Section section = sectionOfBar(bar);
    const int fillStart = fillStartStep(bar);
    std::vector<Hit> hits;
    if (section == Section::verse || section == Section::chorus) {
      for (const Hit& backbeat : {Hit{4, 0.9}, Hit{12, 0.95}})
        if (backbeat.step < fillStart) hits.push_back(backbeat);
    }
    if (section == Section::chorus && bar % 2 == 1 && fillStart == 16) {
      hits.push_back({7, 0.2});  // ghost notes
      hits.push_back({15, 0.25});
    }
    if (bar == 7) {  // pickup into the second half of the verse
      hits.push_back({14, 0.3});
      hits.push_back({15, 0.4});
    }
    if (fillStart < 16) appendFill(hits, fillStart, section == Section::intro ? 0.45 : 0.55);
    if (bar == 18) hits.push_back({0, 1.0});
    for (const Hit& hit : hits)
      addSnare(channels[0], sampleRateHz, jitteredTimeS(bar, hit.step, rng),
               hit.velocity * (1.0 - 0.06 * rng.uniform()), rng);
  }
}

void renderHats(std::vector<Buffer>& channels, double sampleRateHz) {
  constexpr double kClosedDecayS = 0.045;
  constexpr double kOpenDecayS = 0.2;
  Buffer& out = channels[0];
  Rng rng(0x68617473ULL);
  for (int bar = 0; bar < kBars; ++bar) {
    const Section section = sectionOfBar(bar);
    const int fillStart = fillStartStep(bar);
    // A crash marks the start of the verse, the chorus, its second half and the ending.
    const bool crash = bar == 4 || bar == 12 || bar == 16 || bar == 18;
    if (crash)
      addCymbal(out, sampleRateHz, jitteredTimeS(bar, 0, rng), 0.9, bar == 18 ? 2.2 : 1.4, rng);
    if (section == Section::outro || (section == Section::intro && bar < 2)) continue;
    for (int step = crash ? 1 : 0; step < fillStart; ++step) {
      const bool onBeat = step % 4 == 0;
      const bool onEighth = step % 2 == 0;
      double velocity = 0.0;
      double decayS = kClosedDecayS;
      if (section == Section::intro) {
        velocity = onEighth ? (onBeat ? 0.5 : 0.32) : 0.0;
      } else if (section == Section::verse) {
        velocity = onEighth ? (onBeat ? 0.7 : 0.45) : 0.0;
      } else if (step == 6 || step == 14) {  // chorus: open hats on the offbeats of 2 and 4
        velocity = 0.55;
        decayS = kOpenDecayS;
      } else if (step == 7 || step == 15) {
        velocity = 0.0;  // let the open hat ring
      } else {
        velocity = onBeat ? 0.7 : (onEighth ? 0.5 : 0.3);
      }
      if (velocity <= 0.0) continue;
      addCymbal(out, sampleRateHz, jitteredTimeS(bar, step, rng),
                velocity * (1.0 - 0.1 * rng.uniform()), decayS, rng);
    }
  }
}

}  // namespace demo
