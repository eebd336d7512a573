// measureAudioFile: a file read in blocks measures exactly what the meter reads
// from the same samples in memory, and unreadable files throw IoError naming them.

#include "mixdown/analysis/analyze_file.h"

#include <doctest/doctest.h>

#include <string>

#include "support/cli_fixtures.h"
#include "support/temp_dir.h"
#include "mixdown/util/error.h"

using namespace mixdown;
using namespace mixdown::analysis;
using namespace mixdown::test;

TEST_CASE("analyze file: a file measures the same as its samples fed to the meter in one block") {
  TempDir folder;
  // 5 s (more than one read block, ends mid-block), 44.1 kHz stereo float: 1 kHz at -20 dBFS and noise.
  PlanarSamples channels = sineChannels(1000.0, 44100, 5 * 44100 + 123, 2, 0.1);
  const PlanarSamples noise = noiseChannels(5 * 44100 + 123, 2, 0.05, 3);
  for (std::size_t channel = 0; channel < 2; ++channel)
    for (std::size_t frame = 0; frame < channels[channel].size(); ++frame)
      channels[channel][frame] += noise[channel][frame];
  writeWav(folder.file("mix.wav"), channels, 44100, SampleFormat::Float32);

  const AudioMeasurement fromFile = measureAudioFile(folder.file("mix.wav"));
  AudioMeter meter(2, 44100);
  const auto frames = static_cast<int>(channels[0].size());
  std::vector<float> planar(channels[0]);
  planar.insert(planar.end(), channels[1].begin(), channels[1].end());
  meter.add(ConstAudioBlock(planar.data(), 2, frames, frames));
  const AudioMeasurement inMemory = meter.result();

  CHECK(fromFile.channels == 2);
  CHECK(fromFile.sampleRateHz == 44100);
  CHECK(fromFile.frames == frames);
  CHECK(fromFile.durationS() == doctest::Approx(static_cast<double>(frames) / 44100.0));
  REQUIRE(fromFile.loudness.integratedLufs.has_value());
  CHECK(fromFile.loudness.integratedLufs == inMemory.loudness.integratedLufs);
  CHECK(fromFile.loudness.loudnessRangeLu == inMemory.loudness.loudnessRangeLu);
  CHECK(fromFile.loudness.maxMomentaryLufs == inMemory.loudness.maxMomentaryLufs);
  CHECK(fromFile.loudness.maxShortTermLufs == inMemory.loudness.maxShortTermLufs);
  CHECK(fromFile.loudness.truePeakDbtp == inMemory.loudness.truePeakDbtp);
  CHECK(fromFile.loudness.monoFoldDownLufs == inMemory.loudness.monoFoldDownLufs);
  CHECK(fromFile.statistics.samplePeakDbfs == inMemory.statistics.samplePeakDbfs);
  CHECK(fromFile.statistics.rmsDbfs == inMemory.statistics.rmsDbfs);
  CHECK(fromFile.statistics.dcOffset == inMemory.statistics.dcOffset);
  CHECK(fromFile.statistics.correlation == inMemory.statistics.correlation);
}

TEST_CASE("analyze file: unreadable files throw IoError naming the file") {
  TempDir folder;
  makeBadSessionFixtures(folder.path());
  const auto message = [&](const std::string& name) {
    try {
      measureAudioFile(folder.file(name));
    } catch (const IoError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  const std::string missing = message("audio/missing.wav");
  CHECK(missing.find("missing.wav\": no such file") != std::string::npos);
  CHECK(message("audio/not_audio.wav").find("not_audio.wav\": not a readable audio file") != std::string::npos);
  CHECK(message("audio/truncated.wav").find("is truncated") != std::string::npos);
  CHECK(message("audio/empty.wav").find("holds no audio frames") != std::string::npos);
}
