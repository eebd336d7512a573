#pragma once
// How many frames a render writes, known before it starts: length_s, or the
// content plus tail_s, or (tail_s "auto", the default) the content plus a
// tail that ends when the mix falls quiet, at most kAutoTailMaxS. And whether
// every output file can hold that many: WAV and AIFF count their bytes in 32
// bits, so they end at 4 GiB.

#include <cstdint>
#include <optional>
#include <string>

#include "mixdown/session/check_sources.h"
#include "mixdown/session/diagnostics.h"
#include "mixdown/session/model.h"
#include "mixdown/session/output_plan.h"

namespace mixdown::render {

/** The longest an automatic tail rings past the content, in seconds. */
inline constexpr double kAutoTailMaxS = 30.0;

struct RenderLength {
  std::optional<std::int64_t> fixedFrames;  // length_s or content + tail_s; none for the automatic tail
  std::int64_t maxFrames = 0;               // fixedFrames, else the content plus kAutoTailMaxS
};

/** The render's length at rate, for content ending at contentEndFrame (session::contentEndFrame). */
RenderLength renderLength(const session::Session& session, std::int64_t contentEndFrame, int rate);

/** At most how many bytes the planned file takes for maxFrames render frames (its rate, channels, format). */
std::uint64_t plannedFileBytes(const session::PlannedFile& file, std::int64_t maxFrames, int renderRate);

/**
 * A render far longer than its music is most often a unit slip ("at_s": 16000,
 * milliseconds typed as seconds): the pointer of the clip that ends last and a
 * message, when the render may run past an hour, or past a minute and four
 * times the longest any one track plays. None otherwise.
 */
struct LengthWarning {
  std::string pointer;
  std::string message;
};
std::optional<LengthWarning> lengthWarning(const session::Session& session, const session::SourceInfos& sources, int rate,
                                           const RenderLength& length);

/** "41.5 s", "1 h 2 min 3 s": a render's length for people. */
std::string durationText(double seconds);

/**
 * A problem (at the file's pointer) for each planned audio file that cannot
 * hold maxFrames render frames (resampled to its rate) in its container: a
 * WAV or AIFF file past 4 GiB, with the size it would have and the formats
 * that hold it (.w64, .rf64, .flac).
 */
void checkOutputSizes(const session::OutputPlan& plan, std::int64_t maxFrames, int renderRate,
                      session::Diagnostics& problems);

}  // namespace mixdown::render
