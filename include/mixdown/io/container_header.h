#pragma once
// What a container's header promises about its sample data, read from the
// header itself. libsndfile clamps its own frame count to the data actually
// present (a WAV whose data chunk runs past the end of the file opens "fine"
// with fewer frames), so truncation is found by comparing the two, or the data's
// promised end with the file's size.

#include <cstdint>
#include <filesystem>
#include <optional>

namespace mixdown::io {

/** What a header promises about the sample data that follows it. */
struct DeclaredData {
  /** The byte offset at which the sample data ends, as the header states it; 0 where it gives none. */
  std::uint64_t endByte = 0;
  /** Frames promised, for uncompressed sample encodings (the data size over the frame size); else none. */
  std::optional<std::int64_t> frames;
};

/**
 * The sample data promised by the header of a WAV, RF64, W64, AIFF/AIFC, AU or
 * CAF file: where its data chunk ends (RIFF, RF64's ds64, W64, AIFF's SSND,
 * AU's data offset + size, CAF) whatever the encoding, and for uncompressed
 * encodings the frame count (the data size over the frame size, AIFF's COMM
 * count). nullopt for other formats and where the header leaves the length
 * open (a data size of 0 or 0xFFFFFFFF written by a streaming recorder, CAF's -1).
 */
std::optional<DeclaredData> declaredData(const std::filesystem::path& path);

}  // namespace mixdown::io
