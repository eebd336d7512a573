#include "mixdown/render/render_warnings.h"

#include <algorithm>

namespace mixdown::render {

const std::vector<std::string>& warningCodes() {
  namespace c = warning_code;
  static const std::vector<std::string> codes{c::kNodeClipping,        c::kClippedSamples, c::kTruePeak,
                                              c::kDcOffset,            c::kNegativeCorrelation, c::kMonoLoss,
                                              c::kSilentMaster,        c::kLimiterLoss,    c::kTargetMissed,
                                              c::kOutputChanged,       c::kReferenceSilent,
                                              c::kMaskingLimit,        c::kReferenceTolerance, c::kLongRender};
  return codes;
}

nlohmann::ordered_json RenderWarnings::messages() const {
  nlohmann::ordered_json messages = nlohmann::ordered_json::array();
  for (const RenderWarning& warning : items_) messages.push_back(warning.message);
  return messages;
}

bool warningIsOfKind(const std::string& code, const std::string& kind) {
  return kind == "all" || code == kind || code.substr(0, code.find('.')) == kind;
}

std::optional<std::string> unknownWarningKind(const std::vector<std::string>& kinds) {
  for (const std::string& kind : kinds)
    if (std::none_of(warningCodes().begin(), warningCodes().end(),
                     [&](const std::string& code) { return warningIsOfKind(code, kind); }))
      return kind;
  return std::nullopt;
}

void throwIfFailing(const RenderWarnings& warnings, const std::vector<std::string>& kinds) {
  std::vector<RenderWarning> failing;
  std::vector<RenderWarning> others;
  for (const RenderWarning& warning : warnings.items()) {
    const bool fails = std::any_of(kinds.begin(), kinds.end(), [&](const std::string& kind) { return warningIsOfKind(warning.code, kind); });
    (fails ? failing : others).push_back(warning);
  }
  if (!failing.empty()) throw WarningsAsErrors(std::move(failing), std::move(others));
}

}  // namespace mixdown::render
