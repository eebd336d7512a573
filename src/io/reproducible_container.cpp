#include "mixdown/io/reproducible_container.h"

#include <array>
#include <cstring>
#include <fstream>
#include <system_error>
#include <vector>

#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::io {
namespace {

constexpr std::size_t kOggHeaderBytes = 27;
constexpr std::size_t kOggSerialOffset = 14;
constexpr std::size_t kOggChecksumOffset = 22;
constexpr std::size_t kOggSegmentCountOffset = 26;

// The Ogg page checksum: CRC-32 with polynomial 0x04C11DB7, initial value 0, no
// reflection and no final inversion (RFC 3533, section 6).
class OggCrc {
public:
  OggCrc() {
    for (std::uint32_t index = 0; index < 256; ++index) {
      std::uint32_t value = index << 24;
      for (int bit = 0; bit < 8; ++bit) value = (value & 0x80000000u) ? (value << 1) ^ 0x04C11DB7u : value << 1;
      table_[index] = value;
    }
  }
  std::uint32_t update(std::uint32_t crc, const unsigned char* bytes, std::size_t count) const {
    for (std::size_t i = 0; i < count; ++i) crc = (crc << 8) ^ table_[((crc >> 24) ^ bytes[i]) & 0xFFu];
    return crc;
  }

private:
  std::array<std::uint32_t, 256> table_{};
};

void storeLe32(unsigned char* bytes, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
}

std::uint32_t loadLe32(const unsigned char* bytes) {
  return std::uint32_t{bytes[0]} | (std::uint32_t{bytes[1]} << 8) | (std::uint32_t{bytes[2]} << 16) |
         (std::uint32_t{bytes[3]} << 24);
}

IoError rewriteError(const std::filesystem::path& displayPath, const std::string& reason) {
  return IoError("cannot write " + quotedPath(displayPath) + ": " + reason);
}

}  // namespace

void setOggSerialNumber(const std::filesystem::path& path, std::uint32_t serialNumber,
                        const std::filesystem::path& displayPath) {
  const OggCrc crc;
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!file) throw rewriteError(displayPath, "cannot reopen the encoded stream");
  std::error_code sizeError;
  const auto fileBytes = static_cast<std::streamoff>(std::filesystem::file_size(path, sizeError));
  if (sizeError) throw rewriteError(displayPath, "cannot reopen the encoded stream");
  std::vector<unsigned char> page;
  std::streamoff pageStart = 0;
  while (pageStart < fileBytes) {
    page.resize(kOggHeaderBytes);
    file.seekg(pageStart);
    file.read(reinterpret_cast<char*>(page.data()), static_cast<std::streamsize>(kOggHeaderBytes));
    if (static_cast<std::size_t>(file.gcount()) != kOggHeaderBytes || std::memcmp(page.data(), "OggS", 4) != 0) {
      throw rewriteError(displayPath, "the encoded stream is not a sequence of Ogg pages");
    }
    const std::size_t segmentCount = page[kOggSegmentCountOffset];
    page.resize(kOggHeaderBytes + segmentCount);
    file.read(reinterpret_cast<char*>(page.data() + kOggHeaderBytes), static_cast<std::streamsize>(segmentCount));
    std::size_t bodyBytes = 0;
    for (std::size_t i = 0; i < segmentCount; ++i) bodyBytes += page[kOggHeaderBytes + i];
    const std::size_t headerBytes = page.size();
    page.resize(headerBytes + bodyBytes);
    file.read(reinterpret_cast<char*>(page.data() + headerBytes), static_cast<std::streamsize>(bodyBytes));
    if (static_cast<std::size_t>(file.gcount()) != bodyBytes) {
      throw rewriteError(displayPath, "the encoded stream ends inside an Ogg page");
    }
    storeLe32(page.data() + kOggSerialOffset, serialNumber);
    storeLe32(page.data() + kOggChecksumOffset, 0);
    storeLe32(page.data() + kOggChecksumOffset, crc.update(0, page.data(), page.size()));
    file.clear();
    file.seekp(pageStart);
    file.write(reinterpret_cast<const char*>(page.data()), static_cast<std::streamsize>(kOggHeaderBytes));
    if (!file) throw rewriteError(displayPath, "cannot rewrite an Ogg page header");
    pageStart += static_cast<std::streamoff>(page.size());
  }
  file.flush();
  if (!file) throw rewriteError(displayPath, "cannot rewrite an Ogg page header");
}

void clearPeakTimestamp(const std::filesystem::path& path, const std::filesystem::path& displayPath) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!file) throw rewriteError(displayPath, "cannot reopen the written file");
  std::array<unsigned char, 12> start{};
  file.read(reinterpret_cast<char*>(start.data()), static_cast<std::streamsize>(start.size()));
  if (file.gcount() != static_cast<std::streamsize>(start.size()) ||
      (std::memcmp(start.data(), "RIFF", 4) != 0 && std::memcmp(start.data(), "RF64", 4) != 0)) {
    return;
  }
  std::streamoff offset = 12;
  for (int chunk = 0; chunk < 64; ++chunk) {
    std::array<unsigned char, 8> header{};
    file.seekg(offset);
    file.read(reinterpret_cast<char*>(header.data()), static_cast<std::streamsize>(header.size()));
    if (file.gcount() != static_cast<std::streamsize>(header.size())) return;
    if (std::memcmp(header.data(), "data", 4) == 0) return;  // PEAK precedes the audio
    const std::uint32_t size = loadLe32(header.data() + 4);
    if (std::memcmp(header.data(), "PEAK", 4) == 0 && size >= 8) {
      // PEAK body: version (4 bytes), time stamp (4 bytes, seconds since 1970), peaks.
      const std::array<unsigned char, 4> zero{};
      file.clear();
      file.seekp(offset + 12);
      file.write(reinterpret_cast<const char*>(zero.data()), static_cast<std::streamsize>(zero.size()));
      file.flush();
      if (!file) throw rewriteError(displayPath, "cannot clear the PEAK chunk's time stamp");
      return;
    }
    offset += 8 + static_cast<std::streamoff>(size) + static_cast<std::streamoff>(size & 1u);
  }
}

}  // namespace mixdown::io
