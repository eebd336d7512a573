#include "mixdown/io/audio_file_info.h"

#include <vector>

#include "mixdown/io/container_header.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::io {
namespace {

constexpr std::int64_t kCountChunkFrames = 8192;

// Sample rates of real audio: from low-rate speech recordings to DSD64 played
// as PCM (64 x 44.1 kHz, the loudness meter's limit too). A header outside
// them is damaged or hostile; played as the render rate it would make garbage
// (1 Hz) or a render of billions of frames (2^31 Hz).
constexpr int kMinSampleRateHz = 1000;
constexpr int kMaxSampleRateHz = 2822400;

IoError truncatedError(const std::filesystem::path& path, std::int64_t promisedFrames, std::int64_t heldFrames) {
  return IoError(quotedPath(path) + " is truncated: header promises " + std::to_string(promisedFrames) +
                 " frames, file holds " + std::to_string(heldFrames));
}

// Decodes the whole file from the start; only used once a file is known to be damaged.
std::int64_t countDecodableFrames(const std::filesystem::path& path) {
  SoundFile file = SoundFile::openRead(path);
  std::vector<float> chunk(static_cast<std::size_t>(kCountChunkFrames * file.info().channels));
  std::int64_t total = 0;
  for (;;) {
    const std::int64_t read = file.readFrames(chunk.data(), kCountChunkFrames);
    if (read == 0) break;
    total += read;
  }
  return total;
}

}  // namespace

AudioFileInfo probeAudioFile(const std::filesystem::path& path) {
  SoundFile file = SoundFile::openRead(path);
  const SF_INFO info = file.info();

  // libsndfile reports an unknown length for an Ogg stream that stops before its last page.
  if (info.frames == SF_COUNT_MAX) {
    throw IoError(quotedPath(path) + " is truncated: the stream ends without its end-of-stream page");
  }
  if (info.frames <= 0) throw IoError(quotedPath(path) + " holds no audio frames");
  if (info.samplerate < kMinSampleRateHz || info.samplerate > kMaxSampleRateHz) {
    throw IoError(quotedPath(path) + " has a sample rate of " + std::to_string(info.samplerate) + " Hz; mixdown reads " +
                  std::to_string(kMinSampleRateHz) + " to " + std::to_string(kMaxSampleRateHz) + " Hz");
  }

  // Uncompressed containers: libsndfile clamps its count to the data present, so
  // compare with what the header itself promises.
  if (const auto declared = declaredFrameCount(path); declared && *declared > info.frames) {
    throw truncatedError(path, *declared, info.frames);
  }

  // Compressed streams (FLAC, MP3) report the header's count; their last frame must
  // decode. Seeking reads a few frames, not the whole file.
  std::vector<float> lastFrame(static_cast<std::size_t>(info.channels));
  if (!file.seekFrame(info.frames - 1) || file.readFrames(lastFrame.data(), 1) != 1) {
    file.close();
    const std::int64_t held = countDecodableFrames(path);
    // A stream that decodes in full but will not seek is readable: the reader only
    // seeks to a clip's start and then reads on.
    if (held < info.frames) throw truncatedError(path, info.frames, held);
  }

  return AudioFileInfo{info.channels, info.samplerate, info.frames, containerNameOf(info.format)};
}

}  // namespace mixdown::io
