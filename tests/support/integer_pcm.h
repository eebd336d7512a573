#pragma once
// PCM files written from integer codes (the inverse of readIntegerCodes), so a
// test can change one sample by exactly one step of the file's resolution.

#include <cstdint>
#include <filesystem>
#include <vector>

namespace mixdown::test {

/**
 * Writes interleaved n-bit codes (|code| < 2^(bits-1)) as a WAV file of that
 * bit depth (16 or 24) with libsndfile's integer writer; decoded to float, a
 * code reads code / 2^(bits-1).
 */
void writeIntegerCodes(const std::filesystem::path& path, const std::vector<std::int32_t>& interleaved, int channels,
                       int sampleRate, int bits);

/** Deterministic codes uniform in [-maxCode, maxCode], interleaved (a 64-bit LCG seeded with seed). */
std::vector<std::int32_t> noiseCodes(std::int64_t frames, int channels, std::int32_t maxCode, std::uint64_t seed);

}  // namespace mixdown::test
