#pragma once
// Reads an impulse-response file (for the `convolution` processor) whole, into
// planar float channels at the file's own rate.

#include <filesystem>
#include <vector>

namespace mixdown::io {

struct ImpulseResponseFile {
  std::vector<std::vector<float>> channels;  // planar: channels[c][n], 1 or 2 channels of equal length >= 1
  int sampleRate = 0;                        // Hz, as the file's header states it
};

/**
 * Opens path with libsndfile and decodes every frame to float (integer formats
 * scaled so full scale is 1). Throws IoError naming the file: it cannot be
 * opened or read (see probeAudioFile), holds no frames, or has more than 2
 * channels (`"ir.wav" has 4 channels; an impulse response has 1 or 2`).
 */
ImpulseResponseFile readImpulseResponse(const std::filesystem::path& path);

}  // namespace mixdown::io
