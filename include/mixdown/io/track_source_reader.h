#pragma once
// Reads a track's clips block by block, in session frames, at the session rate.
// Memory is bounded by the block size, not the song's length: a clip's file is
// opened when the clip is first reached and closed when it ends (the constructor
// only opens each file briefly to read its header and plan the clip's length).
//
// A clip's frame k (0 <= k < L, L = clipFrames) plays source time fromS + k /
// sessionRate, times gain * fadeIn(k) * fadeOut(k), where
//   fadeIn(k)  = min(1, k / (fadeInS * sessionRate))        (1 when fadeInS is 0)
//   fadeOut(k) = min(1, (L - k) / (fadeOutS * sessionRate))  (1 when fadeOutS is 0)
// so a fade-in starts at exactly 0 and a fade-out reaches 0 one frame after the
// clip's last. Resampled clips (libsoxr SOXR_HQ, see resampler.h) are primed
// with the source before fromS and fed the source after the clip's end when the
// file has them, so a clip cut from inside a file has no filter onset at its edges.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "mixdown/audio/audio_block.h"

namespace mixdown::io {

struct ClipReadSpec {
  std::filesystem::path file;       // absolute or relative to the working directory
  std::int64_t atFrame = 0;         // session frame of the clip's first frame
  double fromS = 0.0;               // offset into the source, seconds of source time
  std::optional<double> durationS;  // session seconds; none (or past the end) = to the end of the file
  float gain = 1.0f;                // linear clip gain
  double fadeInS = 0.0;             // linear fade from 0 to 1 over the clip's first fadeInS
  double fadeOutS = 0.0;            // linear fade from 1 to 0 over the clip's last fadeOutS
  std::vector<int> channels;        // 0-based source channels to keep; empty = all (<= 2)
};

class TrackSourceReader {
public:
  /**
   * clips must not overlap (std::invalid_argument). outputChannels is 1 or 2: a
   * mono clip on a stereo track is copied to both channels; a stereo clip on a
   * mono track plays the average of its two. Sources at another rate are
   * resampled to sessionRate with libsoxr (high quality), time-aligned with the
   * source. Throws IoError if a file cannot be opened or a channel selection does
   * not fit it (an index it lacks, or more than 2 channels).
   */
  TrackSourceReader(std::vector<ClipReadSpec> clips, int sessionRate, int outputChannels,
                    int maxBlockFrames);
  ~TrackSourceReader();
  TrackSourceReader(const TrackSourceReader&) = delete;
  TrackSourceReader& operator=(const TrackSourceReader&) = delete;

  /** Session frame one past the last frame of the last clip. */
  std::int64_t endFrame() const noexcept;
  int channels() const noexcept;

  /**
   * Fills out (channels() channels) with the frames [startFrame, startFrame +
   * out.frames()); silence where no clip plays. Calls are contiguous and in
   * increasing order. Throws IoError if a file fails mid-read.
   */
  void read(std::int64_t startFrame, AudioBlock out);

  /**
   * Session frames a clip lasts, as read() will play it: the rest of the file
   * after fromS (rounded to the nearest source frame), times sessionRate /
   * sourceRate rounded to nearest (libsoxr's own output length), capped by
   * durationS * sessionRate rounded to nearest.
   */
  static std::int64_t clipFrames(const ClipReadSpec& clip, std::int64_t sourceFrames, int sourceRate,
                                 int sessionRate);

private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mixdown::io
