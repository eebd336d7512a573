#pragma once
// Writes one output file: format from the extension, integer or float samples,
// seeded TPDF dither, optional resampling. Writes to a temporary file beside the
// target (temporary_file.h: a fresh unpredictable name, never through a link);
// commit() (or commitStagedFiles over staged() of several writers) puts it in
// place, and destruction without that removes it, so a failed render leaves
// nothing behind.
//
// Integer samples are quantized here (sample_quantizer.h), never by libsndfile.
// Files repeat byte for byte: no PEAK chunk (it holds a time stamp), and the
// clock-seeded Ogg serial and RF64 PEAK time are rewritten after closing
// (reproducible_container.h). Lossy containers (ogg Vorbis, mp3) use libsndfile's
// default encoder settings and take the float samples directly.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "mixdown/audio/audio_block.h"
#include "mixdown/io/output_commit.h"
#include "mixdown/audio/sample_format.h"

namespace mixdown::io {

using audio::BitDepth;
using audio::Dither;

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

/**
 * Whether a container (as containerForPath) can hold samples of bitDepth. FLAC
 * holds 16- and 24-bit PCM only; ogg (Vorbis) and mp3 are lossy and ignore the
 * bit depth (always true); wav, aiff, w64 and rf64 hold all four. False for an
 * unknown container.
 */
bool containerSupports(const std::string& container, BitDepth bitDepth);

/** Whether a container can be written at sampleRate: mp3 (MPEG-1/2/2.5 Layer III) takes only
 *  8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100 and 48000 Hz; the others any rate. */
bool containerSupportsRate(const std::string& container, int sampleRate);

/** Bits per sample of an integer bit depth (16, 24, 32), and 32 for Float32. */
int bitsOf(BitDepth bitDepth) noexcept;

/**
 * What finish() wrote. Levels are of the samples as written, normalised to +-1
 * (integer code / 2^(bits-1)), over every sample of every channel.
 * audioSha256 hashes the interleaved samples as written: integer PCM as
 * little-endian signed integers of 2, 3 or 4 bytes, float as little-endian IEEE
 * float32; for lossy containers (ogg, mp3), the float32 samples given to the
 * encoder. For WAV, W64 and RF64 this equals the SHA-256 of the data chunk.
 */
struct WrittenAudio {
  std::int64_t frames = 0;       // frames in the file
  std::string container;         // as containerForPath
  std::string audioSha256;       // hex SHA-256 of the samples as written (see above)
  double samplePeakDbfs = 0.0;   // -inf for silence
  double rmsDbfs = 0.0;          // -inf for silence
  std::int64_t clippedSamples = 0;  // samples beyond full scale: clamped for integer formats, kept in float ones
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
  /**
   * Flushes the resampler (the file then holds renderFrames * fileRate / renderRate
   * frames, rounded to nearest), closes the temporary file and checks that it reads
   * back with every frame; returns what was written. Throws IoError.
   */
  WrittenAudio finish();
  /** The finished temporary file and its target, for commitStagedFiles; std::logic_error before finish(). */
  StagedFile staged();
  /** Puts the finished file in place (commitStagedFiles of this one file); std::logic_error before finish(). */
  void commit();

  const std::filesystem::path& target() const noexcept;

private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mixdown::io
