#include "mixdown/io/container_header.h"

#include <array>
#include <cstring>
#include <fstream>
#include <string_view>

namespace mixdown::io {
namespace {

constexpr int kMaxChunksScanned = 4096;

std::uint32_t readLe(const unsigned char* bytes, int count) {
  std::uint32_t value = 0;
  for (int i = count - 1; i >= 0; --i) value = (value << 8) | bytes[i];
  return value;
}

std::uint64_t readLe64(const unsigned char* bytes) {
  return (static_cast<std::uint64_t>(readLe(bytes + 4, 4)) << 32) | readLe(bytes, 4);
}

std::uint32_t readBe32(const unsigned char* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

bool hasId(const unsigned char* bytes, std::string_view id) {
  return std::memcmp(bytes, id.data(), id.size()) == 0;
}

class HeaderReader {
public:
  explicit HeaderReader(const std::filesystem::path& path) : stream_(path, std::ios::binary) {}
  bool read(std::uint64_t offset, unsigned char* out, std::size_t count) {
    stream_.clear();
    stream_.seekg(static_cast<std::streamoff>(offset));
    stream_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(count));
    return static_cast<std::size_t>(stream_.gcount()) == count;
  }

private:
  std::ifstream stream_;
};

// WAVE_FORMAT_PCM, _IEEE_FLOAT, _ALAW, _MULAW: one block per frame.
bool isUncompressedTag(std::uint32_t formatTag) {
  return formatTag == 1 || formatTag == 3 || formatTag == 6 || formatTag == 7;
}

struct WaveFormat {
  bool uncompressed = false;
  std::uint32_t blockAlignBytes = 0;
};

// fmt chunk body: tag(2) channels(2) rate(4) bytes/s(4) blockAlign(2) bits(2) [cbSize(2) valid(2) mask(4) guid(16)].
WaveFormat parseFmt(HeaderReader& reader, std::uint64_t bodyOffset, std::uint64_t bodySize) {
  std::array<unsigned char, 26> body{};
  if (bodySize < 16 || !reader.read(bodyOffset, body.data(), bodySize >= 26 ? 26 : 16)) return {};
  std::uint32_t tag = readLe(body.data(), 2);
  if (tag == 0xFFFE && bodySize >= 26) tag = readLe(body.data() + 24, 2);  // extensible: sub-format GUID
  return {isUncompressedTag(tag), readLe(body.data() + 12, 2)};
}

std::optional<std::int64_t> framesFrom(std::uint64_t dataBytes, const WaveFormat& format) {
  if (!format.uncompressed || format.blockAlignBytes == 0) return std::nullopt;
  return static_cast<std::int64_t>(dataBytes / format.blockAlignBytes);
}

DeclaredData waveData(std::uint64_t dataOffset, std::uint64_t dataBytes, const WaveFormat& format) {
  return {dataOffset + dataBytes, framesFrom(dataBytes, format)};
}

std::optional<DeclaredData> riffDeclaredData(HeaderReader& reader) {
  std::optional<std::uint64_t> ds64DataBytes;
  WaveFormat format;
  std::uint64_t offset = 12;
  for (int chunk = 0; chunk < kMaxChunksScanned; ++chunk) {
    std::array<unsigned char, 8> header{};
    if (!reader.read(offset, header.data(), header.size())) return std::nullopt;
    const std::uint32_t size = readLe(header.data() + 4, 4);
    if (hasId(header.data(), "ds64")) {
      std::array<unsigned char, 16> sizes{};
      if (reader.read(offset + 8, sizes.data(), sizes.size())) ds64DataBytes = readLe64(sizes.data() + 8);
    } else if (hasId(header.data(), "fmt ")) {
      format = parseFmt(reader, offset + 8, size);
    } else if (hasId(header.data(), "data")) {
      if (size == 0xFFFFFFFFu && ds64DataBytes) return waveData(offset + 8, *ds64DataBytes, format);
      if (size == 0 || size == 0xFFFFFFFFu) return std::nullopt;  // length left open by the writer
      return waveData(offset + 8, size, format);
    }
    offset += 8 + std::uint64_t{size} + (size & 1u);
  }
  return std::nullopt;
}

std::optional<DeclaredData> w64DeclaredData(HeaderReader& reader) {
  WaveFormat format;
  std::uint64_t offset = 40;  // riff GUID, 64-bit size, wave GUID
  for (int chunk = 0; chunk < kMaxChunksScanned; ++chunk) {
    std::array<unsigned char, 24> header{};
    if (!reader.read(offset, header.data(), header.size())) return std::nullopt;
    const std::uint64_t size = readLe64(header.data() + 16);  // includes the 24-byte header
    if (size < 24) return std::nullopt;
    if (hasId(header.data(), "fmt ")) {
      format = parseFmt(reader, offset + 24, size - 24);
    } else if (hasId(header.data(), "data")) {
      return waveData(offset + 24, size - 24, format);
    }
    offset += (size + 7) & ~std::uint64_t{7};
  }
  return std::nullopt;
}

bool isUncompressedAifcType(const unsigned char* type) {
  for (const std::string_view id : {"NONE", "sowt", "twos", "fl32", "FL32", "fl64", "FL64", "raw ", "in24", "in32"})
    if (hasId(type, id)) return true;
  return false;
}

std::optional<DeclaredData> aiffDeclaredData(HeaderReader& reader, bool compressedAllowed) {
  std::optional<std::int64_t> frames;
  bool commFound = false;
  std::optional<std::uint64_t> soundEnd;
  std::uint64_t offset = 12;
  for (int chunk = 0; chunk < kMaxChunksScanned && !(commFound && soundEnd); ++chunk) {
    std::array<unsigned char, 8> header{};
    if (!reader.read(offset, header.data(), header.size())) break;
    const std::uint32_t size = readBe32(header.data() + 4);
    if (hasId(header.data(), "COMM")) {
      // channels(2) frames(4) bits(2) rate(10) [AIFC: compression type(4)]
      std::array<unsigned char, 22> body{};
      const bool haveType = size >= 22 && reader.read(offset + 8, body.data(), 22);
      if (!haveType && (size < 18 || !reader.read(offset + 8, body.data(), 18))) return std::nullopt;
      commFound = true;
      if (!haveType || !compressedAllowed || isUncompressedAifcType(body.data() + 18))
        frames = static_cast<std::int64_t>(readBe32(body.data() + 2));
    } else if (hasId(header.data(), "SSND")) {
      soundEnd = offset + 8 + size;
    }
    offset += 8 + std::uint64_t{size} + (size & 1u);
  }
  if (!soundEnd) return frames ? std::optional<DeclaredData>(DeclaredData{0, frames}) : std::nullopt;
  return DeclaredData{*soundEnd, frames};
}

// Sun/NeXT .au (".snd" big-endian, "dns." little-endian): data offset(4) data size(4) encoding(4)
// rate(4) channels(4); a data size of 0xFFFFFFFF leaves the length open.
std::optional<DeclaredData> auDeclaredData(HeaderReader& reader, bool bigEndian) {
  std::array<unsigned char, 24> header{};
  if (!reader.read(0, header.data(), header.size())) return std::nullopt;
  const auto field = [&](int offset) {
    return bigEndian ? readBe32(header.data() + offset) : readLe(header.data() + offset, 4);
  };
  const std::uint32_t dataBytes = field(8);
  if (dataBytes == 0xFFFFFFFFu) return std::nullopt;
  std::uint32_t sampleBytes = 0;
  switch (field(12)) {
    case 1: case 2: case 27: sampleBytes = 1; break;  // u-law, 8-bit PCM, A-law
    case 3: sampleBytes = 2; break;
    case 4: sampleBytes = 3; break;
    case 5: case 6: sampleBytes = 4; break;  // 32-bit PCM, float
    case 7: sampleBytes = 8; break;          // double
    default: break;                          // G.72x ADPCM: no fixed frame size
  }
  const std::uint32_t channels = field(20);
  std::optional<std::int64_t> frames;
  if (sampleBytes != 0 && channels != 0) frames = static_cast<std::int64_t>(dataBytes / (sampleBytes * channels));
  return DeclaredData{std::uint64_t{field(4)} + dataBytes, frames};
}

// CAF: "caff" version(2) flags(2), then chunks of type(4) and a signed 64-bit big-endian size;
// the data chunk's size counts its 4-byte edit count and is -1 when left open.
std::optional<DeclaredData> cafDeclaredData(HeaderReader& reader) {
  std::uint64_t offset = 8;
  for (int chunk = 0; chunk < kMaxChunksScanned; ++chunk) {
    std::array<unsigned char, 12> header{};
    if (!reader.read(offset, header.data(), header.size())) return std::nullopt;
    const std::uint64_t size = (std::uint64_t{readBe32(header.data() + 4)} << 32) | readBe32(header.data() + 8);
    if (hasId(header.data(), "data")) {
      if (size == ~std::uint64_t{0}) return std::nullopt;
      return DeclaredData{offset + 12 + size, std::nullopt};
    }
    if (size > (std::uint64_t{1} << 62)) return std::nullopt;
    offset += 12 + size;
  }
  return std::nullopt;
}

}  // namespace

std::optional<DeclaredData> declaredData(const std::filesystem::path& path) {
  HeaderReader reader(path);
  std::array<unsigned char, 16> start{};
  if (!reader.read(0, start.data(), start.size())) return std::nullopt;
  if ((hasId(start.data(), "RIFF") || hasId(start.data(), "RF64")) && hasId(start.data() + 8, "WAVE")) {
    return riffDeclaredData(reader);
  }
  if (hasId(start.data(), "riff") && start[4] == 0x2E && start[5] == 0x91) return w64DeclaredData(reader);
  if (hasId(start.data(), "FORM") && hasId(start.data() + 8, "AIFF")) return aiffDeclaredData(reader, false);
  if (hasId(start.data(), "FORM") && hasId(start.data() + 8, "AIFC")) return aiffDeclaredData(reader, true);
  if (hasId(start.data(), ".snd")) return auDeclaredData(reader, true);
  if (hasId(start.data(), "dns.")) return auDeclaredData(reader, false);
  if (hasId(start.data(), "caff")) return cafDeclaredData(reader);
  return std::nullopt;
}

}  // namespace mixdown::io
