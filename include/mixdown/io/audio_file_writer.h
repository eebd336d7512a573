#pragma once
// Writes one output file: format from the extension, integer or float samples,
// seeded TPDF dither, optional resampling. Writes to a temporary file beside the
// target; commit() renames it into place, and destruction without commit()
// removes it, so a failed render leaves nothing behind.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "mixdown/dsp/audio_block.h"

namespace mixdown::io {

enum class BitDepth { Pcm16, Pcm24, Pcm32, Float32 };
enum class Dither { None, Tpdf };

struct OutputFormat {
  BitDepth bitDepth = BitDepth::Pcm24;
  Dither dither = Dither::None;
  int renderRate = 48000;     // rate of the blocks given to write()
  int fileRate = 48000;       // rate of the file (resampled with libsoxr when different)
  int channels = 2;
  std::uint64_t ditherSeed = 0;
};

/** "wav", "flac", "aiff", "ogg", "mp3", "w64", "rf64" from the path's extension; empty if unknown. */
std::string containerForPath(const std::filesystem::path& path);

struct WrittenAudio {
  std::int64_t frames = 0;       // frames in the file
  std::string container;         // as containerForPath
  std::string audioSha256;       // hex SHA-256 of the samples as written (see docs/report.md)
  double samplePeakDbfs = 0.0;   // -inf for silence
  double rmsDbfs = 0.0;          // -inf for silence
  std::int64_t clippedSamples = 0;  // samples beyond full scale, clamped for integer formats
};

class AudioFileWriter {
public:
  /** Opens a temporary file beside target; throws IoError naming target if it cannot. */
  AudioFileWriter(std::filesystem::path target, const OutputFormat& format);
  ~AudioFileWriter();  // removes the temporary file unless commit() succeeded
  AudioFileWriter(const AudioFileWriter&) = delete;
  AudioFileWriter& operator=(const AudioFileWriter&) = delete;

  /** Appends block (format.channels channels at format.renderRate). Throws IoError (disk full...). */
  void write(ConstAudioBlock block);
  /** Flushes the resampler and closes the temporary file; returns what was written. */
  WrittenAudio finish();
  /** Renames the finished temporary file to the target. */
  void commit();

  const std::filesystem::path& target() const noexcept;

private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mixdown::io
