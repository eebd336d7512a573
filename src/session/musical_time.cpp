#include "mixdown/session/musical_time.h"

#include <charconv>
#include <cmath>
#include <string>

namespace mixdown::session {

std::optional<BarBeat> parseBarBeat(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  BarBeat position;
  const std::string_view barText = text.substr(0, colon);
  const auto [barEnd, barError] = std::from_chars(barText.data(), barText.data() + barText.size(), position.bar);
  if (barError != std::errc() || barEnd != barText.data() + barText.size() || position.bar < 1) return std::nullopt;
  const std::string beatText(text.substr(colon + 1));
  if (beatText.find_first_not_of("0123456789.") != std::string::npos) return std::nullopt;
  std::size_t consumed = 0;
  try {
    position.beat = std::stod(beatText, &consumed);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (consumed != beatText.size() || !std::isfinite(position.beat) || position.beat < 1.0) return std::nullopt;
  return position;
}

double barBeatToSeconds(const BarBeat& position, const Tempo& tempo) {
  const double beats = (position.bar - 1) * static_cast<double>(tempo.beatsPerBar) + (position.beat - 1.0);
  return beats * 60.0 / tempo.bpm;
}

}  // namespace mixdown::session
