#pragma once
// One clip's source audio at the session rate, counted in clip frames: the
// selected channels of its file from fromS on, resampled when the file's rate
// differs. Holds the file open for its lifetime; buffers are a few thousand
// frames whatever the clip's length. Gain and fades belong to TrackSourceReader.

#include <cstdint>
#include <memory>
#include <vector>

#include "mixdown/audio/audio_block.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/io/track_source_reader.h"

namespace mixdown::dsp {
class Resampler;
}

namespace mixdown::io {

class ClipStream {
public:
  /**
   * Opens clip.file so that the first read() returns clip frame firstClipFrame.
   * plannedFrames is the clip's length in session frames (TrackSourceReader::
   * clipFrames) and plannedChannels its channels after selection, as checked
   * before the render; a file changed since (shorter, or with other channels)
   * throws IoError naming it.
   */
  ClipStream(const ClipReadSpec& clip, int sessionRate, std::int64_t firstClipFrame, std::int64_t plannedFrames,
             int plannedChannels);
  ~ClipStream();
  ClipStream(const ClipStream&) = delete;
  ClipStream& operator=(const ClipStream&) = delete;

  /** Selected channels, 1 or 2. */
  int channels() const noexcept { return static_cast<int>(selected_.size()); }
  /** Clip frame that the next read() starts at. */
  std::int64_t position() const noexcept { return clipPosition_; }

  /** The next out.frames() clip frames, planar, channels() channels. */
  void read(AudioBlock out);

  /**
   * The 0-based source channels a clip keeps: clip.channels, or all when empty.
   * Throws IoError if an index does not exist or more than 2 remain.
   */
  static std::vector<int> resolveChannels(const ClipReadSpec& clip, int sourceChannels);
  /** The clip's first source frame: fromS at the source rate, rounded to the nearest frame. */
  static std::int64_t firstSourceFrame(const ClipReadSpec& clip, int sourceRate) noexcept;

private:
  void readDirect(AudioBlock out);
  void readResampled(AudioBlock out);
  /** Fills frameCount interleaved frames of resampled output (zeros once the source is drained). */
  void pullResampled(float* interleaved, std::size_t frameCount);
  /** Reads the next chunk of the source into selectedChunk_; false at the end of the file. */
  bool readSourceChunk();
  [[noreturn]] void throwReadFailure() const;

  SoundFile file_;
  std::vector<int> selected_;
  std::unique_ptr<dsp::Resampler> resampler_;
  std::int64_t plannedFrames_ = 0;
  std::int64_t clipPosition_ = 0;
  std::int64_t sourcePosition_ = 0;      // next source frame to read
  std::int64_t outputToDiscard_ = 0;     // resampled pre-roll frames still to drop
  std::vector<float> sourceChunk_;       // interleaved, every source channel
  std::vector<float> selectedChunk_;     // interleaved, selected channels
  std::size_t pendingOffsetFrames_ = 0;  // first frame of selectedChunk_ not yet given to the resampler
  std::size_t pendingFrames_ = 0;
  bool sourceEnded_ = false;
  std::vector<float> resampledChunk_;    // interleaved, selected channels
};

}  // namespace mixdown::io
