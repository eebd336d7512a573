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

void checkOutputSizes(const session::OutputPlan& plan, std::int64_t maxFrames, int renderRate,
                      session::Diagnostics& problems) {
  for (const auto& file : plan.files) {
    if (!file.isAudio()) continue;
    const std::string container = io::containerForPath(file.path);
    if (container != "wav" && container != "aiff") continue;
    const int fileRate = file.format->sampleRate.value_or(renderRate);
    const auto frames = static_cast<std::uint64_t>(dsp::Resampler::outputFrameCount(maxFrames, renderRate, fileRate));
    const auto bytesPerFrame = static_cast<std::uint64_t>(kOutputChannels * io::bitsOf(file.format->bitDepth) / 8);
    const std::uint64_t bytes = frames * bytesPerFrame + kHeaderAllowanceBytes;
    if (bytes <= kLargestHeldBytes) continue;
    std::string message = io::quotedPath(file.shownPath);
    message.append(" would be ").append(gigabytes(bytes)).append(" (").append(std::to_string(frames));
    message.append(" frames), past the 4 GiB a ").append(container).append(" file can hold: use .w64, .rf64 or .flac");
    problems.add(file.pointer, message);
  }
}

}  // namespace mixdown::render
