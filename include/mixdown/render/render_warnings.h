#pragma once
// A render's warnings, each with a stable code (what `render --fail-on KIND`
// and `--json` name), the JSON Pointer of what in the session it is about, and
// its message (what report.json's warnings[] holds). Codes are "group.kind";
// a KIND of --fail-on names a code or a whole group ("clipping").

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mixdown::render {

namespace warning_code {
inline constexpr const char* kNodeClipping = "clipping.node";        // a track or bus exceeds full scale
inline constexpr const char* kClippedSamples = "clipping.samples";   // a file holds samples clipped at full scale
inline constexpr const char* kTruePeak = "true-peak.over";           // the mix's true peak is above -1 dBTP
inline constexpr const char* kDcOffset = "dc-offset";                // a file carries a DC offset beyond -60 dBFS
inline constexpr const char* kNegativeCorrelation = "mono.correlation";  // negative left/right correlation
inline constexpr const char* kMonoLoss = "mono.fold-down";           // the mono fold-down loses more than 3 LU (or is silent)
inline constexpr const char* kSilentMaster = "loudness.silent";      // master.loudness met a silent master
inline constexpr const char* kLimiterLoss = "loudness.limiter-loss"; // the true-peak limiter takes more than 0.1 LU
inline constexpr const char* kTargetMissed = "loudness.target-missed";  // the target missed by more than 0.1 LU
inline constexpr const char* kOutputChanged = "outputs.changed";     // an earlier output changed since; left in place
inline constexpr const char* kReferenceSilent = "insight.silent";    // the mix or a reference is silent: no comparison
inline constexpr const char* kMaskingLimit = "insight.masking";     // a track masked beyond its insight.masking_limits entry
inline constexpr const char* kReferenceTolerance = "insight.reference";  // a broad band beyond reference_tolerance_db
inline constexpr const char* kLongRender = "length.long";  // far longer than any track plays, or past an hour
}  // namespace warning_code

/** Every code, in the order above: what --fail-on accepts (with each group, the part before the '.'). */
const std::vector<std::string>& warningCodes();

struct RenderWarning {
  std::string code;     // one of warningCodes()
  std::string pointer;  // JSON Pointer into the session ("" for the whole session)
  std::string message;
};

class RenderWarnings {
public:
  void add(std::string code, std::string pointer, std::string message) {
    items_.push_back({std::move(code), std::move(pointer), std::move(message)});
  }
  const std::vector<RenderWarning>& items() const noexcept { return items_; }
  /** report.json's warnings[]: the messages, in order. */
  nlohmann::ordered_json messages() const;

private:
  std::vector<RenderWarning> items_;
};

/** Whether code is of kind: the code itself, its group ("clipping" for "clipping.node"), or "all". */
bool warningIsOfKind(const std::string& code, const std::string& kind);

/** The first of kinds that is no code, group or "all"; none if all are known. */
std::optional<std::string> unknownWarningKind(const std::vector<std::string>& kinds);

/** A render stopped before keeping its outputs because warnings of a --strict or --fail-on kind came up. */
class WarningsAsErrors : public std::runtime_error {
public:
  WarningsAsErrors(std::vector<RenderWarning> failing, std::vector<RenderWarning> others)
      : std::runtime_error("warnings treated as errors"), failing_(std::move(failing)), others_(std::move(others)) {}
  const std::vector<RenderWarning>& failing() const noexcept { return failing_; }
  const std::vector<RenderWarning>& others() const noexcept { return others_; }

private:
  std::vector<RenderWarning> failing_;
  std::vector<RenderWarning> others_;
};

/** Throws WarningsAsErrors if any warning is of one of kinds (nothing is kept: call before the commit). */
void throwIfFailing(const RenderWarnings& warnings, const std::vector<std::string>& kinds);

}  // namespace mixdown::render
