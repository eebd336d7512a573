#pragma once
// The frame count a container's header promises, read from the header itself.
// libsndfile clamps its own frame count to the data actually present (a WAV
// whose data chunk runs past the end of the file opens "fine" with fewer
// frames), so truncation is found by comparing the two.

#include <cstdint>
#include <filesystem>
#include <optional>

namespace mixdown::io {

/**
 * Frames promised by the header of an uncompressed WAV, RF64, W64 or AIFF file:
 * the data chunk's size over the frame size (RIFF, RF64's ds64, W64), or the
 * COMM chunk's frame count (AIFF). nullopt for other formats, for compressed
 * sample encodings, and where the header leaves the length open (a data size of
 * 0 or 0xFFFFFFFF written by a streaming recorder).
 */
std::optional<std::int64_t> declaredFrameCount(const std::filesystem::path& path);

}  // namespace mixdown::io
