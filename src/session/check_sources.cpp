#include "mixdown/session/check_sources.h"

#include <algorithm>
#include <cmath>

#include "mixdown/io/track_source_reader.h"
#include "mixdown/session/params.h"
#include "mixdown/session/validate.h"
#include "mixdown/util/cancellation.h"
#include "mixdown/util/error.h"

namespace mixdown::session {

namespace {

struct ClipSpan {
  std::int64_t startFrame;
  std::int64_t endFrame;
  const Clip* clip;
  std::size_t index;
};

void checkClip(const Clip& clip, const io::AudioFileInfo& info, Diagnostics& diagnostics) {
  const std::string shownFile = "\"" + clip.fileAsWritten + "\"";
  if (clip.channels.empty()) {
    if (info.channels > 2)
      diagnostics.add(clipFilePointer(clip), shownFile + " has " + std::to_string(info.channels) +
                                                 " channels; choose at most 2 with \"channels\"");
  } else {
    for (std::size_t index = 0; index < clip.channels.size(); ++index)
      if (clip.channels[index] >= info.channels)
        diagnostics.add(childPointer(childPointer(clip.pointer, "channels"), index),
                        "channel " + std::to_string(clip.channels[index]) + " does not exist: " + shownFile + " has " +
                            std::to_string(info.channels) + " (channels count from 0)");
  }
  const double fileDurationS = static_cast<double>(info.frames) / info.sampleRate;
  const double frameS = 1.0 / info.sampleRate;
  if (clip.fromS >= fileDurationS) {
    diagnostics.add(childPointer(clip.pointer, "from_s"), "starts at or after the end of " + shownFile + " (" +
                                                              formatNumber(fileDurationS) + " s long)");
  } else if (clip.durationS && clip.fromS + *clip.durationS > fileDurationS + frameS) {
    diagnostics.add(childPointer(clip.pointer, "duration_s"),
                    "runs past the end of " + shownFile + ": from_s + duration_s = " +
                        formatNumber(clip.fromS + *clip.durationS) + " s, the file lasts " +
                        formatNumber(fileDurationS) + " s");
  }
}

/** Probes the impulse-response file of every convolution insert. */
void checkImpulseResponses(const Session& session, Diagnostics& diagnostics) {
  auto check = [&](const std::vector<Insert>& inserts) {
    for (const auto& insert : inserts) {
      if (insert.type != "convolution" || !insert.parameters.contains("ir")) continue;
      const std::string pointer = childPointer(insert.pointer, "ir");
      try {
        const io::AudioFileInfo info = io::probeAudioFile(insert.file("ir"));
        if (info.channels > 2)
          diagnostics.add(pointer, "impulse response \"" + insert.parameters.at("ir").get<std::string>() + "\" has " +
                                       std::to_string(info.channels) + " channels; it may have 1 or 2");
      } catch (const IoError& error) {
        diagnostics.add(pointer, error.what());
      }
    }
  };
  for (const auto& track : session.tracks) check(track.inserts);
  for (const auto& bus : session.buses) check(bus.inserts);
  check(session.master.inserts);
}

/** Probes every reference track: an audio file of 1 or 2 channels. */
void checkReferences(const Session& session, Diagnostics& diagnostics) {
  for (const Reference& reference : session.references) {
    throwIfCancelled();
    try {
      const io::AudioFileInfo info = io::probeAudioFile(reference.file);
      if (info.channels > 2)
        diagnostics.add(reference.pointer, "reference \"" + reference.fileAsWritten + "\" has " + std::to_string(info.channels) +
                                               " channels; a reference is mono or stereo");
    } catch (const IoError& error) {
      diagnostics.add(reference.pointer, error.what());
    }
  }
}

}  // namespace

std::string clipFilePointer(const Clip& clip) {
  const std::string suffix = "/source";
  const bool plainPath = clip.pointer.size() >= suffix.size() &&
                         clip.pointer.compare(clip.pointer.size() - suffix.size(), suffix.size(), suffix) == 0;
  return plainPath ? clip.pointer : childPointer(clip.pointer, "file");
}

int renderRate(const Session& session, const SourceInfos& sources) {
  if (session.sampleRate) return *session.sampleRate;
  const auto found = sources.find(session.tracks.front().clips.front().file);
  return found == sources.end() ? 48000 : found->second.sampleRate;
}

ClipFrames clipFramesOf(const Track& track, const Clip& clip, const io::AudioFileInfo& info, int rate) {
  io::ClipReadSpec spec;
  spec.file = clip.file;
  spec.fromS = clip.fromS;
  spec.durationS = clip.durationS;
  const std::int64_t startFrame =
      std::llround(clip.atS * rate) + static_cast<std::int64_t>(std::llround(track.delayMs * 1e-3 * rate));
  return {startFrame, startFrame + io::TrackSourceReader::clipFrames(spec, info.frames, info.sampleRate, rate)};
}

std::int64_t contentEndFrame(const Session& session, const SourceInfos& sources, int rate) {
  std::int64_t end = 0;
  for (const auto& track : session.tracks)
    for (const auto& clip : track.clips)
      if (const auto found = sources.find(clip.file); found != sources.end())
        end = std::max(end, clipFramesOf(track, clip, found->second, rate).endFrame);
  return end;
}

SourceInfos checkSources(const Session& session, Diagnostics& diagnostics) {
  SourceInfos infos;
  std::map<std::filesystem::path, std::string> failures;
  for (const auto& track : session.tracks) {
    for (const auto& clip : track.clips) {
      if (infos.count(clip.file)) continue;
      const auto failed = failures.find(clip.file);
      if (failed != failures.end()) {
        diagnostics.add(clipFilePointer(clip), failed->second);
        continue;
      }
      throwIfCancelled();  // thousands of files take a while: a stop request ends the load between them
      try {
        infos.emplace(clip.file, io::probeAudioFile(clip.file));
      } catch (const IoError& error) {
        failures.emplace(clip.file, error.what());
        diagnostics.add(clipFilePointer(clip), error.what());
      }
    }
  }
  checkImpulseResponses(session, diagnostics);
  checkReferences(session, diagnostics);
  const int rate = renderRate(session, infos);
  if (!session.sampleRate && (rate < kMinSampleRateHz || rate > kMaxSampleRateHz)) {
    const Clip& first = session.tracks.front().clips.front();
    diagnostics.add(clipFilePointer(first), "the render rate would be this file's " + std::to_string(rate) +
                                                " Hz, outside 8000 .. 384000 Hz: set \"sample_rate\"");
    return infos;
  }
  for (const auto& track : session.tracks) {
    std::vector<ClipSpan> spans;
    for (std::size_t index = 0; index < track.clips.size(); ++index) {
      const Clip& clip = track.clips[index];
      const auto found = infos.find(clip.file);
      if (found == infos.end()) continue;
      checkClip(clip, found->second, diagnostics);
      const ClipFrames frames = clipFramesOf(track, clip, found->second, rate);
      spans.push_back({frames.startFrame, frames.endFrame, &clip, index});
    }
    std::sort(spans.begin(), spans.end(),
              [](const ClipSpan& left, const ClipSpan& right) { return left.startFrame < right.startFrame; });
    for (std::size_t index = 1; index < spans.size(); ++index) {
      const ClipSpan& previous = spans[index - 1];
      const ClipSpan& current = spans[index];
      if (current.startFrame < previous.endFrame)
        diagnostics.add(childPointer(current.clip->pointer, "at_s"),
                        "overlaps clip " + std::to_string(previous.index) + " of track \"" + track.name +
                            "\", which plays until " + formatNumber(static_cast<double>(previous.endFrame) / rate) +
                            " s (clips on one track may not overlap)");
    }
  }
  return infos;
}

}  // namespace mixdown::session
