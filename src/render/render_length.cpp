#include "mixdown/render/render_length.h"

#include <cmath>
#include <cstdio>

#include "mixdown/io/audio_file_writer.h"
#include "mixdown/dsp/resampler.h"
#include "mixdown/io/sound_file.h"

namespace mixdown::render {

namespace {

constexpr int kOutputChannels = 2;
// The RIFF and FORM sizes are unsigned 32-bit byte counts of everything after them; the headers
// libsndfile writes before the samples take well under this much.
constexpr std::uint64_t kLargestHeldBytes = 0xFFFFFFFFull;
constexpr std::uint64_t kHeaderAllowanceBytes = 4096;
constexpr std::uint64_t kLossyMaxBitsPerS = 320000;
// lengthWarning: past an hour, or past a minute and this many times the longest any track plays.
constexpr double kLongRenderS = 3600.0;
constexpr double kSparseFloorS = 60.0;
constexpr double kSparseRatio = 4.0;

std::int64_t framesOf(double seconds, int rate) { return std::llround(seconds * rate); }

std::string gigabytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f GB", static_cast<double>(bytes) / 1e9);
  return text;
}

}  // namespace

RenderLength renderLength(const session::Session& session, std::int64_t contentEndFrame, int rate) {
  RenderLength length;
  if (session.lengthS) length.fixedFrames = framesOf(*session.lengthS, rate);
  else if (session.tailS) length.fixedFrames = contentEndFrame + framesOf(*session.tailS, rate);
  length.maxFrames = length.fixedFrames.value_or(contentEndFrame + framesOf(kAutoTailMaxS, rate));
  return length;
}

std::uint64_t plannedFileBytes(const session::PlannedFile& file, std::int64_t maxFrames, int renderRate) {
  if (!file.isAudio()) return 0;
  const int fileRate = file.format->sampleRate.value_or(renderRate);
  const auto frames = static_cast<std::uint64_t>(dsp::Resampler::outputFrameCount(maxFrames, renderRate, fileRate));
  const std::string container = io::containerForPath(file.path);
  // Lossy files: at most 320 kbit/s. FLAC: at most the PCM it codes.
  if (container == "ogg" || container == "mp3") return frames * kLossyMaxBitsPerS / 8 / static_cast<std::uint64_t>(fileRate) + kHeaderAllowanceBytes;
  const int bits = io::bitsOf(container == "flac" && file.format->bitDepth != session::BitDepth::Pcm16 ? session::BitDepth::Pcm24 : file.format->bitDepth);
  return frames * static_cast<std::uint64_t>(kOutputChannels * bits / 8) + kHeaderAllowanceBytes;
}

std::optional<LengthWarning> lengthWarning(const session::Session& session, const session::SourceInfos& sources, int rate,
                                           const RenderLength& length) {
  const session::Clip* last = nullptr;
  std::int64_t lastEnd = 0;
  std::int64_t longestTrackFrames = 0;
  for (const auto& track : session.tracks) {
    std::int64_t played = 0;
    for (const auto& clip : track.clips) {
      const auto found = sources.find(clip.file);
      if (found == sources.end()) continue;
      const session::ClipFrames frames = session::clipFramesOf(track, clip, found->second, rate);
      played += frames.endFrame - frames.startFrame;
      if (!last || frames.endFrame > lastEnd) {
        last = &clip;
        lastEnd = frames.endFrame;
      }
    }
    longestTrackFrames = std::max(longestTrackFrames, played);
  }
  const double lengthS = static_cast<double>(length.maxFrames) / rate;
  const double playedS = static_cast<double>(longestTrackFrames) / rate;
  const bool overAnHour = lengthS > kLongRenderS;
  const bool sparse = lengthS > kSparseFloorS && lengthS > kSparseRatio * playedS;
  if (!last || (!overAnHour && !sparse)) return std::nullopt;
  // A plain path has no at_s: the warning names the source itself.
  const std::string pointer = session::clipFilePointer(*last) == last->pointer ? last->pointer : last->pointer + "/at_s";
  std::string message = "the render may run " + durationText(lengthS) + (length.fixedFrames ? "" : " (with the automatic tail)") +
                        ", while no track plays for more than " + durationText(playedS) + "; the clip at " + pointer +
                        " ends last, at " + durationText(static_cast<double>(lastEnd) / rate) +
                        " (milliseconds typed as seconds?); --max-length-s caps a render";
  return LengthWarning{pointer, message};
}

std::string durationText(double seconds) {
  char text[64];
  if (seconds < 60.0) {
    std::snprintf(text, sizeof text, "%.1f s", seconds);
    return text;
  }
  const auto whole = static_cast<long long>(std::llround(seconds));
  if (whole < 3600) std::snprintf(text, sizeof text, "%lld min %lld s", whole / 60, whole % 60);
  else std::snprintf(text, sizeof text, "%lld h %lld min %lld s", whole / 3600, whole / 60 % 60, whole % 60);
  return text;
}

void checkOutputSizes(const session::OutputPlan& plan, std::int64_t maxFrames, int renderRate,
                      session::Diagnostics& problems) {
  for (const auto& file : plan.files) {
    if (!file.isAudio()) continue;
    const std::string container = io::containerForPath(file.path);
    if (container != "wav" && container != "aiff") continue;
    const int fileRate = file.format->sampleRate.value_or(renderRate);
    const auto frames = static_cast<std::uint64_t>(dsp::Resampler::outputFrameCount(maxFrames, renderRate, fileRate));
    const std::uint64_t bytes = plannedFileBytes(file, maxFrames, renderRate);
    if (bytes <= kLargestHeldBytes) continue;
    std::string message = io::quotedPath(file.shownPath);
    message.append(" would be ").append(gigabytes(bytes)).append(" (").append(std::to_string(frames));
    message.append(" frames), past the 4 GiB a ").append(container).append(" file can hold: use .w64, .rf64 or .flac");
    problems.add(file.pointer, message);
  }
}

}  // namespace mixdown::render
