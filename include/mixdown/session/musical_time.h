#pragma once
// "bar:beat" times (1-based, fractional beat allowed), converted with a tempo.

#include <optional>
#include <string_view>

namespace mixdown::session {

struct Tempo {
  double bpm = 120.0;
  int beatsPerBar = 4;
};

struct BarBeat {
  int bar = 1;      // >= 1
  double beat = 1;  // >= 1 and < beatsPerBar + 1
};

/** Parses "B:b" such as "17:1" or "4:2.5"; none if malformed. */
std::optional<BarBeat> parseBarBeat(std::string_view text);

/** Seconds from the session start to the bar:beat position. */
double barBeatToSeconds(const BarBeat& position, const Tempo& tempo);

}  // namespace mixdown::session
