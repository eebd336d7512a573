#include "mixdown/io/audio_file_info.h"

#include <vector>

#include "mixdown/io/container_header.h"
#include "mixdown/io/quiet_library_output.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::io {
namespace {

constexpr std::int64_t kCountChunkFrames = 8192;
constexpr const char* kCheckableFormats = "WAV, W64, RF64, AIFF, AU, CAF, FLAC, Ogg (Vorbis, Opus) or MP3";

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

/**
 * Whether mixdown can tell that a file of this major format holds every frame its header promises:
 * containers whose header states the data's length (declaredData), and compressed streams whose
 * decoder stops at a missing end. libsndfile's other formats (IRCAM, NIST, VOC, PAF, SVX, MAT, PVF,
 * XI, AVR, WVE, MPC2K, SDS, HTK, SD2, ...) open cut files without a sign: their headers give no
 * length, libsndfile clamps it to the file, or its decoder makes up the frames that are missing.
 */
bool lengthIsCheckable(int sfFormat) {
  switch (sfFormat & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: case SF_FORMAT_WAVEX: case SF_FORMAT_W64: case SF_FORMAT_RF64: case SF_FORMAT_AIFF:
    case SF_FORMAT_AU: case SF_FORMAT_CAF: case SF_FORMAT_FLAC: case SF_FORMAT_OGG: case SF_FORMAT_MPEG:
      return true;
    default:
      return false;
  }
}

/** libsndfile's name of a major format ("SDS (Midi Sample Dump Standard)"), else its extension. */
std::string formatNameOf(int sfFormat) {
  SF_FORMAT_INFO formatInfo{};
  formatInfo.format = sfFormat & SF_FORMAT_TYPEMASK;
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &formatInfo, sizeof formatInfo) == 0 && formatInfo.name != nullptr)
    return formatInfo.name;
  return containerNameOf(sfFormat);
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
  // A damaged MP3 makes mpg123 print a note per resync; the probe's one error says what is wrong.
  const QuietLibraryOutput quiet;
  SoundFile file = SoundFile::openRead(path);
  const SF_INFO info = file.info();

  // libsndfile reports an unknown length for an Ogg stream that stops before its last page.
  if (info.frames == SF_COUNT_MAX) {
    throw IoError(quotedPath(path) + " is truncated: the stream ends without its end-of-stream page");
  }
  if (!lengthIsCheckable(info.format)) {
    throw IoError(quotedPath(path) + " is in the " + formatNameOf(info.format) +
                  " format, whose length mixdown cannot check against its header (a cut file would play as "
                  "silence or noise); use " + std::string(kCheckableFormats));
  }
  if (info.frames <= 0) throw IoError(quotedPath(path) + " holds no audio frames");
  if (info.samplerate < kMinSampleRateHz || info.samplerate > kMaxSampleRateHz) {
    throw IoError(quotedPath(path) + " has a sample rate of " + std::to_string(info.samplerate) + " Hz; mixdown reads " +
                  std::to_string(kMinSampleRateHz) + " to " + std::to_string(kMaxSampleRateHz) + " Hz");
  }

  // Containers: libsndfile clamps its count to the data present, so compare with what the header
  // itself promises: the frames of an uncompressed encoding, the end of the data for any encoding.
  if (const auto declared = declaredData(path)) {
    if (declared->frames && *declared->frames > info.frames) throw truncatedError(path, *declared->frames, info.frames);
    std::error_code error;
    const std::uintmax_t fileBytes = std::filesystem::file_size(path, error);
    if (!error && declared->endByte > fileBytes) {
      throw IoError(quotedPath(path) + " is truncated: header promises audio data up to byte " +
                    std::to_string(declared->endByte) + ", file holds " + std::to_string(fileBytes) + " bytes");
    }
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
