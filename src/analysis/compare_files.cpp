#include "mixdown/analysis/compare_files.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "mixdown/analysis/loudness_meter.h"
#include "mixdown/audio/decibels.h"
#include "mixdown/io/planar_file_reader.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::analysis {

namespace {

std::optional<double> dbfsOf(double amplitude) {
  if (!(amplitude > 0.0) || !std::isfinite(amplitude)) return std::nullopt;
  return audio::gainToDb(amplitude);
}

LoudnessMeter loudnessMeterFor(const io::AudioFileInfo& info, const std::filesystem::path& path) {
  try {
    return LoudnessMeter(info.channels, info.sampleRate);
  } catch (const std::invalid_argument& error) {
    throw IoError("cannot measure " + io::quotedPath(path) + ": " + error.what());
  }
}

/** The running residual of b - a over blocks of equal channel count. */
class ResidualAccumulator {
 public:
  void add(ConstAudioBlock blockA, ConstAudioBlock blockB, int frames) {
    std::optional<int> firstInBlock;
    for (int channel = 0; channel < blockA.channels(); ++channel) {
      const float* samplesA = blockA.channel(channel);
      const float* samplesB = blockB.channel(channel);
      for (int frame = 0; frame < frames; ++frame) {
        // Bit patterns, so -0.0 against 0.0 or two different NaNs count as a difference.
        if (std::bit_cast<std::uint32_t>(samplesA[frame]) == std::bit_cast<std::uint32_t>(samplesB[frame])) continue;
        if (!firstInBlock || frame < *firstInBlock) firstInBlock = frame;
        const double difference = static_cast<double>(samplesB[frame]) - static_cast<double>(samplesA[frame]);
        if (!std::isfinite(difference)) {
          maxAbsDiff_ = std::numeric_limits<double>::infinity();
          continue;
        }
        maxAbsDiff_ = std::max(maxAbsDiff_, std::abs(difference));
        sumOfSquares_ += difference * difference;
      }
    }
    if (firstInBlock && !firstDiffFrame_) firstDiffFrame_ = framesDone_ + *firstInBlock;
    framesDone_ += frames;
    samplesDone_ += static_cast<std::int64_t>(frames) * blockA.channels();
  }

  void writeTo(AudioComparison& comparison) const {
    comparison.comparedFrames = framesDone_;
    comparison.firstDiffFrame = firstDiffFrame_;
    comparison.maxAbsDiff = maxAbsDiff_;
    // A non-finite difference is left out of the sum of squares, so the RMS is then unknown.
    if (!std::isfinite(maxAbsDiff_))
      comparison.residualRms = std::numeric_limits<double>::quiet_NaN();
    else if (samplesDone_ > 0)
      comparison.residualRms = std::sqrt(sumOfSquares_ / static_cast<double>(samplesDone_));
  }

 private:
  std::int64_t framesDone_ = 0;
  std::int64_t samplesDone_ = 0;
  std::optional<std::int64_t> firstDiffFrame_;
  double maxAbsDiff_ = 0.0;
  double sumOfSquares_ = 0.0;
};

AudioShape shapeOf(const io::AudioFileInfo& info) { return AudioShape{info.channels, info.sampleRate, info.frames}; }

}  // namespace

std::optional<double> AudioComparison::maxAbsDiffDbfs() const {
  return residualMeasured() ? dbfsOf(maxAbsDiff) : std::nullopt;
}

std::optional<double> AudioComparison::residualRmsDbfs() const {
  return residualMeasured() ? dbfsOf(residualRms) : std::nullopt;
}

std::optional<double> AudioComparison::loudnessDiffLu() const {
  if (!integratedLufsA || !integratedLufsB) return std::nullopt;
  return *integratedLufsB - *integratedLufsA;
}

bool AudioComparison::withinThreshold(double thresholdDb) const noexcept {
  if (!sameShape()) return false;
  if (maxAbsDiff == 0.0) return true;
  return audio::gainToDb(maxAbsDiff) <= thresholdDb;  // +infinity for a non-finite residual: never within
}

AudioComparison compareAudioFiles(const std::filesystem::path& pathA, const std::filesystem::path& pathB) {
  io::PlanarFileReader readerA(pathA, kCompareBlockFrames);
  io::PlanarFileReader readerB(pathB, kCompareBlockFrames);
  LoudnessMeter loudnessA = loudnessMeterFor(readerA.info(), pathA);
  LoudnessMeter loudnessB = loudnessMeterFor(readerB.info(), pathB);

  AudioComparison comparison;
  comparison.a = shapeOf(readerA.info());
  comparison.b = shapeOf(readerB.info());
  ResidualAccumulator residual;
  // Both files advance by the same block size, so their blocks cover the same
  // frames until the shorter one ends; the longer one is then read on alone for its loudness.
  while (readerA.framesLeft() > 0 || readerB.framesLeft() > 0) {
    const ConstAudioBlock blockA = readerA.next();
    const ConstAudioBlock blockB = readerB.next();
    if (comparison.residualMeasured()) residual.add(blockA, blockB, std::min(blockA.frames(), blockB.frames()));
    if (!blockA.empty()) loudnessA.add(blockA);
    if (!blockB.empty()) loudnessB.add(blockB);
  }
  residual.writeTo(comparison);
  comparison.integratedLufsA = loudnessA.result().integratedLufs;
  comparison.integratedLufsB = loudnessB.result().integratedLufs;
  return comparison;
}

}  // namespace mixdown::analysis
