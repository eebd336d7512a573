#include "mixdown/session/check_frequencies.h"

#include "mixdown/session/validate.h"

namespace mixdown::session {

namespace {

using nlohmann::json;

void checkValue(const json& value, const std::string& pointer, double nyquistHz, int sampleRate,
                Diagnostics& diagnostics) {
  auto check = [&](const json& number, const std::string& where) {
    if (number.is_number() && number.get<double>() >= nyquistHz)
      diagnostics.add(where, "must be below half the sample rate (" + formatNumber(nyquistHz) + " Hz at " +
                                 std::to_string(sampleRate) + " Hz), got " + formatNumber(number.get<double>()));
  };
  if (value.is_object() && value.contains("points")) {
    const json& points = value.at("points");
    for (std::size_t index = 0; index < points.size(); ++index)
      check(points[index][1], childPointer(childPointer(childPointer(pointer, "points"), index), 1));
  } else {
    check(value, pointer);
  }
}

void walk(const json& value, const std::string& pointer, double nyquistHz, int sampleRate, Diagnostics& diagnostics) {
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      const std::string memberPointer = childPointer(pointer, key);
      if (key.size() > 3 && key.compare(key.size() - 3, 3, "_hz") == 0) checkValue(member, memberPointer, nyquistHz, sampleRate, diagnostics);
      else walk(member, memberPointer, nyquistHz, sampleRate, diagnostics);
    }
  } else if (value.is_array()) {
    for (std::size_t index = 0; index < value.size(); ++index)
      walk(value[index], childPointer(pointer, index), nyquistHz, sampleRate, diagnostics);
  }
}

}  // namespace

void checkFrequencies(const Session& session, int sampleRate, Diagnostics& diagnostics) {
  const double nyquistHz = sampleRate / 2.0;
  auto checkInserts = [&](const std::vector<Insert>& inserts) {
    for (const auto& insert : inserts) walk(insert.parameters, insert.pointer, nyquistHz, sampleRate, diagnostics);
  };
  for (const auto& track : session.tracks) checkInserts(track.inserts);
  for (const auto& bus : session.buses) checkInserts(bus.inserts);
  checkInserts(session.master.inserts);
}

}  // namespace mixdown::session
