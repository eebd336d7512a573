#pragma once
// Opens every source file named by the session (without reading its audio) and
// checks the clips against what the files hold: channels, offsets, durations,
// and that clips on one track do not overlap.

#include <cstdint>
#include <filesystem>
#include <map>

#include "mixdown/io/audio_file_info.h"
#include "mixdown/session/diagnostics.h"
#include "mixdown/session/model.h"

namespace mixdown::session {

using SourceInfos = std::map<std::filesystem::path, io::AudioFileInfo>;

/** Probes the sources; returns what each file that opened holds. */
SourceInfos checkSources(const Session& session, Diagnostics& diagnostics);

/** The render rate: the session's, else the first track's first clip's file rate. */
int renderRate(const Session& session, const SourceInfos& sources);

/** The session frames a clip plays at rate, [startFrame, endFrame): its at_s plus the track's delay, for as long as its file lasts. */
struct ClipFrames {
  std::int64_t startFrame = 0;
  std::int64_t endFrame = 0;
};
ClipFrames clipFramesOf(const Track& track, const Clip& clip, const io::AudioFileInfo& info, int rate);

/** The frame after the last one any clip plays, track delays included: where the content ends (0 for none). */
std::int64_t contentEndFrame(const Session& session, const SourceInfos& sources, int rate);

/** Where a clip's file is named: /tracks/N/source for a plain path, else .../source/K/file. */
std::string clipFilePointer(const Clip& clip);

}  // namespace mixdown::session
