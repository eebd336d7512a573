#pragma once
// Sessions of many tracks and buses, for the tests of limits and of how the
// cost grows with the input: every track plays tone.wav (writeTone), a mono
// 0.1 s sine at 48 kHz.

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace mixdown::test {

inline constexpr int kToneRateHz = 48000;

/** Writes folder/tone.wav. */
void writeTone(const std::filesystem::path& folder);

/** prefix then index: "b12". */
std::string numbered(const std::string& prefix, std::size_t index);

/** Tracks t0, t1, ... into the master. */
nlohmann::json sessionWithTracks(std::size_t tracks);

/** Track t0 into bus b0, bus i into bus i + 1, the last into the master: buses + 1 strips one after another. */
nlohmann::json chainOfBuses(std::size_t buses);

/** Track t0 into bus b0, and buses b0, b1, ... into the bus "sum". */
nlohmann::json busesIntoOne(std::size_t buses);

/** "tracks.t0.x.x...": a --set path of that many segments. */
std::string pathOfSegments(std::size_t segments);

}  // namespace mixdown::test
