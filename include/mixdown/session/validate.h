#pragma once
// Structural validation of session JSON against the tables of params.h:
// types, ranges, required and unknown keys (with suggestions), automation.
// Keys that begin with '_' are comments and are skipped everywhere.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mixdown/session/diagnostics.h"
#include "mixdown/session/musical_time.h"
#include "mixdown/session/params.h"

namespace mixdown::session {

/** Where a session without a (valid) tempo uses musical time: said once, with its places. */
struct TempoUses {
  std::vector<std::string> barBeatPointers;    // "bar:beat" automation times
  std::vector<std::string> beatValuePointers;  // values in beats (a delay's time_beats)
  bool empty() const noexcept { return barBeatPointers.empty() && beatValuePointers.empty(); }
};

struct ValidationContext {
  std::optional<Tempo> tempo;  // set when the session's tempo is valid
  /** Without a tempo, musical times are collected here (one diagnostic for all, tempoMissingDiagnostic);
      left null, each is reported where it is. */
  TempoUses* tempoUses = nullptr;
};

void validateValue(const nlohmann::json& value, const ValueSpec& spec, const std::string& pointer,
                   const ValidationContext& context, Diagnostics& diagnostics);
void validateObject(const nlohmann::json& value, const ObjectSpec& spec, const std::string& pointer,
                    const ValidationContext& context, Diagnostics& diagnostics);

/** The one diagnostic for every musical time of a session without a tempo: at the first place, naming the others. */
void addTempoMissingDiagnostic(const TempoUses& uses, Diagnostics& diagnostics);

/** The closest of candidates to word, if close enough to be a likely typo. */
std::optional<std::string> closestMatch(const std::string& word, const std::vector<std::string>& candidates);

/** A number as users wrote it: 0.5, -18, 1e+30. */
std::string formatNumber(double value);

}  // namespace mixdown::session
