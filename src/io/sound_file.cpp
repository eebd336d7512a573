#include "mixdown/io/sound_file.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string_view>
#include <system_error>
#include <utility>

#include "mixdown/util/error.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::io {
namespace {

// sf_open reports failures through a process-wide error slot (sf_strerror(nullptr)),
// so opening and reading that slot must not interleave between threads.
std::mutex& openMutex() {
  static std::mutex mutex;
  return mutex;
}

std::string lowercaseFirst(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

// libsndfile's texts read "System error : File too large." or "Format not recognised.";
// messages here read "file too large", "format not recognised".
std::string tidyLibraryText(std::string text) {
  constexpr std::string_view kSystemPrefix = "System error : ";
  if (text.rfind(kSystemPrefix, 0) == 0) text.erase(0, kSystemPrefix.size());
  while (!text.empty() && (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == '.')) {
    text.pop_back();
  }
  // libsndfile's check of a header's rate, channel count and length (psf_validate_sfinfo) fails with this text.
  if (text == "Internal error : SF_INFO struct incomplete") return "its header gives no valid sample rate or channel count";
  return lowercaseFirst(std::move(text));
}

void throwUnlessReadableRegularFile(const std::filesystem::path& path) {
  const std::string prefix = "cannot open " + quotedPath(path) + ": ";
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) throw IoError(prefix + "no such file");
  if (std::filesystem::is_directory(status)) throw IoError(prefix + "is a directory");
  if (!std::filesystem::is_regular_file(status)) throw IoError(prefix + "not a regular file");
  std::FILE* probe = std::fopen(path.c_str(), "rb");
  if (probe == nullptr) {
    throw IoError(prefix + lowercaseFirst(std::generic_category().message(errno)));
  }
  std::fclose(probe);
  if (std::filesystem::file_size(path, error) == 0 && !error) {
    throw IoError(quotedPath(path) + " holds no audio frames (0 bytes)");
  }
}

}  // namespace

std::string quotedPath(const std::filesystem::path& path) { return quotedText(path.string()); }

std::string containerNameOf(int sfFormat) {
  switch (sfFormat & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX:
      return "wav";
    case SF_FORMAT_AIFF:
      return "aiff";
    case SF_FORMAT_FLAC:
      return "flac";
    case SF_FORMAT_OGG:
      return "ogg";
    case SF_FORMAT_MPEG:
      return "mp3";
    case SF_FORMAT_W64:
      return "w64";
    case SF_FORMAT_RF64:
      return "rf64";
    case SF_FORMAT_CAF:
      return "caf";
    default:
      break;
  }
  SF_FORMAT_INFO formatInfo{};
  formatInfo.format = sfFormat & SF_FORMAT_TYPEMASK;
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &formatInfo, sizeof formatInfo) == 0 &&
      formatInfo.extension != nullptr) {
    return formatInfo.extension;
  }
  return "unknown";
}

SoundFile SoundFile::openRead(const std::filesystem::path& path) {
  throwUnlessReadableRegularFile(path);
  SF_INFO info{};
  std::lock_guard lock(openMutex());
  SNDFILE* handle = sf_open(path.c_str(), SFM_READ, &info);
  if (handle == nullptr) {
    const std::string reason = tidyLibraryText(sf_strerror(nullptr));
    // The library's allocation failed (a memory limit): the file is not at fault, and a retry may work.
    if (reason.find("malloc") != std::string::npos)
      throw IoError("cannot open " + quotedPath(path) + ": out of memory (" + reason + ")", true);
    throw IoError("cannot open " + quotedPath(path) + ": not a readable audio file (" + reason + ")");
  }
  return SoundFile(handle, info, path);
}

SoundFile SoundFile::openWrite(int descriptor, const SF_INFO& info, const std::filesystem::path& displayPath) {
  SF_INFO requested = info;
  if (sf_format_check(&requested) == 0) {
    throw IoError("cannot write " + quotedPath(displayPath) + ": the audio library cannot write " +
                  containerNameOf(info.format) + " with this sample format, rate or channel count");
  }
  std::lock_guard lock(openMutex());
  SNDFILE* handle = sf_open_fd(descriptor, SFM_WRITE, &requested, SF_FALSE);
  if (handle == nullptr) {
    throw IoError("cannot write " + quotedPath(displayPath) + ": " + tidyLibraryText(sf_strerror(nullptr)));
  }
  return SoundFile(handle, requested, displayPath);
}

SoundFile::SoundFile(SoundFile&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), info_(other.info_), path_(std::move(other.path_)),
      raw_(std::move(other.raw_)), rawFrame_(other.rawFrame_) {}

SoundFile& SoundFile::operator=(SoundFile&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = std::exchange(other.handle_, nullptr);
    info_ = other.info_;
    path_ = std::move(other.path_);
    raw_ = std::move(other.raw_);
    rawFrame_ = other.rawFrame_;
  }
  return *this;
}

SoundFile::~SoundFile() { close(); }

std::string SoundFile::errorText() const { return tidyLibraryText(sf_strerror(handle_)); }

std::string SoundFile::logText() const {
  if (handle_ == nullptr) return {};
  std::string log(16384, '\0');
  sf_command(handle_, SFC_GET_LOG_INFO, log.data(), static_cast<int>(log.size()));
  log.resize(log.find('\0') == std::string::npos ? log.size() : log.find('\0'));
  return log;
}

bool SoundFile::seekFrame(std::int64_t frame) noexcept {
  if (handle_ == nullptr || sf_seek(handle_, frame, SEEK_SET) != frame) return false;
  rawFrame_ = frame;
  return true;
}

namespace {

/** Whether format stores 24-bit PCM little-endian in its data chunk. */
bool isLittleEndianPcm24(int format) noexcept {
  const int major = format & SF_FORMAT_TYPEMASK, endian = format & SF_FORMAT_ENDMASK;
  const bool littleEndianContainer =
      major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX || major == SF_FORMAT_W64 || major == SF_FORMAT_RF64;
  return (format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_24 && littleEndianContainer &&
         (endian == SF_ENDIAN_FILE || endian == SF_ENDIAN_LITTLE);
}

}  // namespace

std::int64_t SoundFile::readFrames(float* interleaved, std::int64_t frameCount) {
  if (handle_ == nullptr || frameCount <= 0) return 0;
  if (!isLittleEndianPcm24(info_.format) || info_.seekable == 0) {
    const sf_count_t read = sf_readf_float(handle_, interleaved, frameCount);
    return read > 0 ? read : 0;
  }
  // sf_read_raw may run on past the data chunk (into its pad byte or the next chunk): ask for no
  // more than the frames left.
  frameCount = std::min<std::int64_t>(frameCount, info_.frames - rawFrame_);
  if (frameCount <= 0) return 0;
  constexpr int kBytes = 3;
  const auto frameBytes = static_cast<std::size_t>(kBytes * info_.channels);
  const std::size_t wanted = static_cast<std::size_t>(frameCount) * frameBytes;
  if (raw_.size() < wanted + 1) raw_.resize(wanted + 1);  // + 1: the last code is loaded as 4 bytes
  const sf_count_t bytes = sf_read_raw(handle_, raw_.data(), static_cast<sf_count_t>(wanted));
  if (bytes <= 0) return 0;
  const auto frames = std::min<std::int64_t>(frameCount, static_cast<std::int64_t>(static_cast<std::size_t>(bytes) / frameBytes));
  rawFrame_ += frames;
  // A read that stopped inside a frame (a truncated file, an I/O error) leaves the next one on its boundary.
  if (static_cast<std::size_t>(bytes) % frameBytes != 0) sf_seek(handle_, rawFrame_, SEEK_SET);
  const std::size_t samples = static_cast<std::size_t>(frames) * static_cast<std::size_t>(info_.channels);
  constexpr float kPerCode = 1.0f / 2147483648.0f;  // the code in the top 24 bits of an int32, as libsndfile reads it
  static_assert(std::endian::native == std::endian::little, "the codes are loaded as little-endian words");
  for (std::size_t sample = 0; sample < samples; ++sample) {
    std::uint32_t word;  // the code's 3 bytes and the next code's first, which the shift drops
    std::memcpy(&word, raw_.data() + kBytes * sample, sizeof word);
    interleaved[sample] = static_cast<float>(static_cast<std::int32_t>(word << 8)) * kPerCode;
  }
  return frames;
}

std::string SoundFile::close() noexcept {
  if (handle_ == nullptr) return {};
  const int error = sf_close(std::exchange(handle_, nullptr));
  return error == 0 ? std::string() : tidyLibraryText(sf_error_number(error));
}

}  // namespace mixdown::io
