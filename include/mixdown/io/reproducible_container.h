#pragma once
// Fix-ups that make libsndfile 1.2.0's output files byte-identical between runs.
// Both rewrite fields in place in a closed file; sizes and audio do not change.

#include <cstdint>
#include <filesystem>

namespace mixdown::io {

/**
 * Gives every page of the Ogg file at path the serial number serialNumber and
 * recomputes each page's CRC. libsndfile picks the stream serial from a
 * clock-seeded generator (psf_rand_int32), so two encodes of the same audio
 * differ. Throws IoError naming displayPath if the file is not a sequence of Ogg pages.
 */
void setOggSerialNumber(const std::filesystem::path& path, std::uint32_t serialNumber,
                        const std::filesystem::path& displayPath);

/**
 * Zeroes the creation time in the PEAK chunk of a RIFF or RF64 header, if it has
 * one. libsndfile writes a PEAK chunk (with time(NULL)) into float RF64 files and
 * SFC_SET_ADD_PEAK_CHUNK cannot turn it off for RF64.
 */
void clearPeakTimestamp(const std::filesystem::path& path, const std::filesystem::path& displayPath);

}  // namespace mixdown::io
