#pragma once
// Ownership of one libsndfile handle, with errors that name the file. Every
// module that reads or writes audio goes through this, so messages read alike.

#include <sndfile.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mixdown::io {

/** The path in double quotes, as error messages show it: "audio/gtr.wav" (quotedText: control characters escaped). */
std::string quotedPath(const std::filesystem::path& path);

/** Short lowercase name of a libsndfile major format: "wav", "flac", "aiff", "ogg", "mp3", ... */
std::string containerNameOf(int sfFormat);

/** An open libsndfile handle; closed on destruction. Move-only. */
class SoundFile {
public:
  /**
   * Opens path for reading. Throws IoError: `cannot open "PATH": no such file`,
   * `... is a directory`, `... permission denied`, or `... not a readable audio
   * file (<libsndfile's reason>)`. A file of zero bytes throws
   * `"PATH" holds no audio frames (0 bytes)`.
   */
  static SoundFile openRead(const std::filesystem::path& path);
  /**
   * Writes, into the open, empty file descriptor (which stays open after
   * close()), exactly the format in info (never guessed from a name). Errors
   * name displayPath (the user's target, not the temporary file):
   * `cannot write "TARGET": <reason>`.
   */
  static SoundFile openWrite(int descriptor, const SF_INFO& info, const std::filesystem::path& displayPath);

  SoundFile() = default;
  SoundFile(SoundFile&& other) noexcept;
  SoundFile& operator=(SoundFile&& other) noexcept;
  SoundFile(const SoundFile&) = delete;
  SoundFile& operator=(const SoundFile&) = delete;
  ~SoundFile();

  bool isOpen() const noexcept { return handle_ != nullptr; }
  SNDFILE* handle() const noexcept { return handle_; }
  const SF_INFO& info() const noexcept { return info_; }
  const std::filesystem::path& path() const noexcept { return path_; }

  /** libsndfile's description of the handle's last error, without a trailing period. */
  std::string errorText() const;
  /** libsndfile's parser log for this handle (what it found in the header). */
  std::string logText() const;

  /** Seeks to frame; returns false if libsndfile cannot. */
  bool seekFrame(std::int64_t frame) noexcept;
  /**
   * Reads up to frameCount interleaved frames; returns the frames read (0 at
   * the end or on error). Little-endian 24-bit PCM (WAV, W64, RF64) in a
   * seekable file is read as raw bytes and converted here: code / 2^23, the
   * exact value libsndfile's own conversion gives, at a fraction of its cost.
   * Allocates on the first read.
   */
  std::int64_t readFrames(float* interleaved, std::int64_t frameCount);

  /** Closes the handle; returns libsndfile's error text, empty on success. */
  std::string close() noexcept;

private:
  SoundFile(SNDFILE* handle, const SF_INFO& info, std::filesystem::path path)
      : handle_(handle), info_(info), path_(std::move(path)) {}

  SNDFILE* handle_ = nullptr;
  SF_INFO info_{};
  std::filesystem::path path_;
  std::vector<unsigned char> raw_;  // little-endian 24-bit PCM: one read's bytes
  std::int64_t rawFrame_ = 0;       // little-endian 24-bit PCM: the frame the next raw read starts at
};

}  // namespace mixdown::io
