#pragma once
// An independent loudness reading of decoded audio, straight from libebur128's
// C API (BS.1770-4, true peak 4x oversampled), for checking what mixdown writes
// without going through mixdown's own meter.

#include <optional>

#include "support/sound_fixtures.h"

namespace mixdown::test {

struct Ebur128Reading {
  std::optional<double> integratedLufs;  // none below the absolute gate or for silence
  double truePeakDbtp = 0.0;             // the largest of the channels; -inf for silence
  double samplePeakDbfs = 0.0;
};

Ebur128Reading readWithEbur128(const SoundFileContents& contents);

}  // namespace mixdown::test
