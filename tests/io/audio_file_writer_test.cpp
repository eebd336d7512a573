// AudioFileWriter: containers, exact quantization, TPDF dither, clipping, levels,
// the audio hash, resampling, determinism and the temporary-file lifecycle.
// Files are read back with libsndfile directly; expected values come from the
// quantization formula or from measurements of what was read back.

#include <doctest/doctest.h>
#include <sndfile.h>
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "mixdown/io/audio_file_writer.h"
#include "mixdown/util/error.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"
#include "support/test_signals.h"

using mixdown::ConstAudioBlock;
using mixdown::io::AudioFileWriter;
using mixdown::audio::BitDepth;
using mixdown::audio::Dither;
using mixdown::io::OutputFormat;
using mixdown::io::WrittenAudio;
using mixdown::test::PlanarSamples;
using mixdown::test::TempDir;

namespace {

OutputFormat formatOf(BitDepth bitDepth, int channels, int rate = 48000, Dither dither = Dither::None,
                      std::uint64_t seed = 0) {
  OutputFormat format;
  format.bitDepth = bitDepth;
  format.dither = dither;
  format.renderRate = rate;
  format.fileRate = rate;
  format.channels = channels;
  format.ditherSeed = seed;
  return format;
}

/** Writes planar samples in blocks of blockFrames, finishes and commits. */
WrittenAudio writeFile(const std::filesystem::path& path, const OutputFormat& format, const PlanarSamples& samples,
                       const std::vector<int>& blockSizes = {1024}) {
  const auto frames = static_cast<int>(samples[0].size());
  std::vector<float> planar;
  for (const auto& channel : samples) planar.insert(planar.end(), channel.begin(), channel.end());
  AudioFileWriter writer(path, format);
  int position = 0;
  for (std::size_t i = 0; position < frames; ++i) {
    const int count = std::min(blockSizes[i % blockSizes.size()], frames - position);
    writer.write(ConstAudioBlock(planar.data(), static_cast<int>(samples.size()), frames, frames).slice(position, count));
    position += count;
  }
  const WrittenAudio written = writer.finish();
  writer.commit();
  return written;
}

std::vector<float> interleave(const PlanarSamples& samples) {
  std::vector<float> interleaved;
  for (std::size_t frame = 0; frame < samples[0].size(); ++frame) {
    for (const auto& channel : samples) interleaved.push_back(channel[frame]);
  }
  return interleaved;
}

std::vector<unsigned char> littleEndianFloats(const std::vector<float>& samples) {
  std::vector<unsigned char> bytes;
  for (const float sample : samples) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &sample, sizeof bits);
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<unsigned char>(bits >> (8 * i)));
  }
  return bytes;
}

std::vector<unsigned char> littleEndianCodes(const std::vector<std::int32_t>& codes, int bytesPerSample) {
  std::vector<unsigned char> bytes;
  for (const std::int32_t code : codes) {
    for (int i = 0; i < bytesPerSample; ++i) bytes.push_back(static_cast<unsigned char>(static_cast<std::uint32_t>(code) >> (8 * i)));
  }
  return bytes;
}

}  // namespace

TEST_CASE("io: the container follows the extension") {
  using mixdown::io::containerForPath;
  CHECK(containerForPath("mix.wav") == "wav");
  CHECK(containerForPath("dir/MIX.WAV") == "wav");
  CHECK(containerForPath("mix.flac") == "flac");
  CHECK(containerForPath("mix.aiff") == "aiff");
  CHECK(containerForPath("mix.aif") == "aiff");
  CHECK(containerForPath("mix.ogg") == "ogg");
  CHECK(containerForPath("mix.mp3") == "mp3");
  CHECK(containerForPath("mix.w64") == "w64");
  CHECK(containerForPath("mix.rf64") == "rf64");
  CHECK(containerForPath("mix.txt").empty());
  CHECK(containerForPath("mix").empty());
}

TEST_CASE("io: containerSupports knows each container's bit depths") {
  using mixdown::io::containerSupports;
  for (const char* container : {"wav", "aiff", "w64", "rf64", "ogg", "mp3"}) {
    for (const BitDepth depth : {BitDepth::Pcm16, BitDepth::Pcm24, BitDepth::Pcm32, BitDepth::Float32}) {
      CHECK(containerSupports(container, depth));
    }
  }
  CHECK(containerSupports("flac", BitDepth::Pcm16));
  CHECK(containerSupports("flac", BitDepth::Pcm24));
  CHECK_FALSE(containerSupports("flac", BitDepth::Pcm32));
  CHECK_FALSE(containerSupports("flac", BitDepth::Float32));
  CHECK_FALSE(containerSupports("", BitDepth::Pcm16));
  CHECK(mixdown::io::containerSupportsRate("mp3", 44100));
  CHECK_FALSE(mixdown::io::containerSupportsRate("mp3", 96000));
  CHECK(mixdown::io::containerSupportsRate("flac", 96000));
}

TEST_CASE("io: a float WAV reads back sample-identical, over-range samples kept and counted") {
  TempDir dir;
  PlanarSamples samples{mixdown::test::makeSine(997.0, 48000.0, 5000, 0.9, 0.1),
                        mixdown::test::makeSine(50.0, 48000.0, 5000, 0.3)};
  samples[0][10] = 1.5f;
  samples[1][20] = -2.0f;
  samples[1][21] = 1e-40f;  // subnormal
  const auto path = dir.file("float.wav");
  const WrittenAudio written = writeFile(path, formatOf(BitDepth::Float32, 2), samples, {1000, 7, 333});
  const auto contents = mixdown::test::readSoundFile(path);
  CHECK(contents.sfFormat == (SF_FORMAT_WAV | SF_FORMAT_FLOAT));
  CHECK(contents.samples == samples);
  CHECK(written.frames == 5000);
  CHECK(written.container == "wav");
  CHECK(written.clippedSamples == 2);
  const std::vector<float> all = interleave(samples);
  CHECK(written.samplePeakDbfs == doctest::Approx(mixdown::test::amplitudeToDb(2.0)).epsilon(1e-12));
  CHECK(written.rmsDbfs == doctest::Approx(mixdown::test::amplitudeToDb(mixdown::test::rmsOf(all))).epsilon(1e-9));
}

TEST_CASE("io: integer quantization gives the exact codes of the formula") {
  TempDir dir;
  // code = clamp(round(x * 2^(n-1)), -2^(n-1), 2^(n-1) - 1), ties away from zero.
  for (const int bits : {16, 24, 32}) {
    const double scale = std::ldexp(1.0, bits - 1);
    const auto maxCode = static_cast<std::int32_t>(scale - 1.0);
    const auto minCode = static_cast<std::int32_t>(-scale);
    const std::vector<std::pair<float, std::int32_t>> cases{
        {0.0f, 0},
        {0.5f, static_cast<std::int32_t>(scale / 2)},
        {-0.5f, -static_cast<std::int32_t>(scale / 2)},
        {static_cast<float>(3.0 / scale), 3},
        {static_cast<float>(1000.5 / scale), 1001},    // a tie rounds away from zero
        {static_cast<float>(-1000.5 / scale), -1001},
        {static_cast<float>(1000.25 / scale), 1000},
        {static_cast<float>(-1000.75 / scale), -1001},
        {-1.0f, minCode},                               // full negative scale fits
        {1.0f, maxCode},                                // +1.0 is one code beyond: clipped
        {1.5f, maxCode},                                // clipped
        {-1.5f, minCode},                               // clipped
    };
    const BitDepth depth = bits == 16 ? BitDepth::Pcm16 : bits == 24 ? BitDepth::Pcm24 : BitDepth::Pcm32;
    PlanarSamples samples(1);
    for (const auto& [value, code] : cases) samples[0].push_back(value);
    for (const std::string extension : {".wav", ".aiff", ".w64", ".rf64", ".flac"}) {
      if (extension == ".flac" && bits == 32) continue;
      CAPTURE(bits);
      CAPTURE(extension);
      const auto path = dir.file("codes" + std::to_string(bits) + extension);
      const WrittenAudio written = writeFile(path, formatOf(depth, 1), samples);
      const std::vector<std::int32_t> codes = mixdown::test::readIntegerCodes(path, bits);
      REQUIRE(codes.size() == cases.size());
      for (std::size_t i = 0; i < cases.size(); ++i) {
        CAPTURE(i);
        CHECK(codes[i] == cases[i].second);
      }
      CHECK(written.clippedSamples == 3);
    }
  }
}

TEST_CASE("io: 16-bit dither is TPDF, seeded and within one LSB") {
  TempDir dir;
  constexpr std::size_t kFrames = 200000;
  // Part one: values on exact codes, where dither alone decides the error.
  // Part two: a slow ramp over fractional positions.
  PlanarSamples samples(1, std::vector<float>(kFrames));
  for (std::size_t n = 0; n < kFrames; ++n) {
    const double lsb = n < kFrames / 2 ? static_cast<double>(static_cast<int>(n % 200) - 100)
                                       : -50.0 + 100.0 * static_cast<double>(n % 9973) / 9973.0;
    samples[0][n] = static_cast<float>(lsb / 32768.0);
  }
  const auto pathA = dir.file("seed1a.wav");
  const auto pathB = dir.file("seed1b.wav");
  const auto pathC = dir.file("seed2.wav");
  writeFile(pathA, formatOf(BitDepth::Pcm16, 1, 48000, Dither::Tpdf, 1), samples, {4096});
  writeFile(pathB, formatOf(BitDepth::Pcm16, 1, 48000, Dither::Tpdf, 1), samples, {100, 3, 5000});
  writeFile(pathC, formatOf(BitDepth::Pcm16, 1, 48000, Dither::Tpdf, 2), samples, {4096});
  const auto codes = mixdown::test::readIntegerCodes(pathA, 16);
  REQUIRE(codes.size() == kFrames);

  CHECK(mixdown::test::fileBytes(pathA) == mixdown::test::fileBytes(pathB));  // same seed, any blocks: same file
  CHECK(mixdown::test::fileBytes(pathA) != mixdown::test::fileBytes(pathC));  // another seed: other noise

  std::map<int, double> onCodeErrors;
  double errorSum = 0.0;
  double errorSquares = 0.0;
  bool withinOneLsb = true;
  for (std::size_t n = 0; n < kFrames; ++n) {
    const double exact = static_cast<double>(samples[0][n]) * 32768.0;
    const double error = codes[n] - exact;
    if (std::abs(codes[n] - std::round(exact)) > 1.0) withinOneLsb = false;
    errorSum += error;
    errorSquares += error * error;
    if (n < kFrames / 2) onCodeErrors[static_cast<int>(codes[n] - std::lround(exact))] += 1.0;
  }
  CHECK(withinOneLsb);
  // Mean error 0; total error power 1/4 LSB^2 (TPDF 1/6 plus rounding 1/12).
  CHECK(std::abs(errorSum / kFrames) < 0.01);
  CHECK(errorSquares / kFrames == doctest::Approx(0.25).epsilon(0.04));
  // On exact codes the error is round(d) with d triangular on (-1, 1):
  // P(0) = P(|d| < 1/2) = 3/4, P(+1) = P(-1) = 1/8. Rectangular dither would give only 0.
  const double onCodeCount = static_cast<double>(kFrames / 2);
  CHECK(onCodeErrors.size() == 3);
  CHECK(onCodeErrors[0] / onCodeCount == doctest::Approx(0.75).epsilon(0.02));
  CHECK(onCodeErrors[1] / onCodeCount == doctest::Approx(0.125).epsilon(0.05));
  CHECK(onCodeErrors[-1] / onCodeCount == doctest::Approx(0.125).epsilon(0.05));

  SUBCASE("no dither rounds to the nearest code") {
    const auto path = dir.file("plain.wav");
    writeFile(path, formatOf(BitDepth::Pcm16, 1), samples);
    const auto plain = mixdown::test::readIntegerCodes(path, 16);
    bool allNearest = true;
    for (std::size_t n = 0; n < kFrames; ++n) {
      if (plain[n] != std::lround(static_cast<double>(samples[0][n]) * 32768.0)) allNearest = false;
    }
    CHECK(allNearest);
  }
}

TEST_CASE("io: peak and RMS describe the samples as written") {
  TempDir dir;
  const PlanarSamples samples{mixdown::test::makeSine(1000.0, 48000.0, 48000, 0.5),
                              mixdown::test::makeSine(1500.0, 48000.0, 48000, 0.25)};
  const auto path = dir.file("levels.wav");
  const WrittenAudio written = writeFile(path, formatOf(BitDepth::Pcm16, 2, 48000, Dither::Tpdf, 7), samples);
  double peak = 0.0;
  double squares = 0.0;
  const auto codes = mixdown::test::readIntegerCodes(path, 16);
  for (const std::int32_t code : codes) {
    const double value = code / 32768.0;
    peak = std::max(peak, std::abs(value));
    squares += value * value;
  }
  CHECK(written.samplePeakDbfs == doctest::Approx(20.0 * std::log10(peak)).epsilon(1e-12));
  CHECK(written.rmsDbfs == doctest::Approx(10.0 * std::log10(squares / static_cast<double>(codes.size()))).epsilon(1e-9));
  CHECK(written.clippedSamples == 0);

  const auto silent = writeFile(dir.file("silence.wav"), formatOf(BitDepth::Pcm24, 2), PlanarSamples(2, std::vector<float>(1000)));
  CHECK(silent.samplePeakDbfs == -std::numeric_limits<double>::infinity());
  CHECK(silent.rmsDbfs == -std::numeric_limits<double>::infinity());
}

TEST_CASE("io: audioSha256 is the hash of the samples as stored") {
  TempDir dir;
  const PlanarSamples samples{mixdown::test::makeSine(440.0, 48000.0, 3001, 0.7),
                              mixdown::test::makeSine(880.0, 48000.0, 3001, 0.6)};
  // WAV's data chunk is exactly the little-endian interleaved samples.
  for (const BitDepth depth : {BitDepth::Pcm16, BitDepth::Pcm24, BitDepth::Pcm32, BitDepth::Float32}) {
    const int depthIndex = static_cast<int>(depth);
    CAPTURE(depthIndex);
    const auto path = dir.file("hash" + std::to_string(static_cast<int>(depth)) + ".wav");
    const WrittenAudio written = writeFile(path, formatOf(depth, 2, 48000, Dither::Tpdf, 3), samples);
    CHECK(written.audioSha256 == mixdown::test::sha256Hex(mixdown::test::wavDataChunk(path)));
  }
  // FLAC: the decoded codes as 3-byte little-endian integers.
  const auto flac = dir.file("hash.flac");
  const WrittenAudio flacWritten = writeFile(flac, formatOf(BitDepth::Pcm24, 2, 48000, Dither::Tpdf, 3), samples);
  CHECK(flacWritten.audioSha256 ==
        mixdown::test::sha256Hex(littleEndianCodes(mixdown::test::readIntegerCodes(flac, 24), 3)));
  // Lossy: the float32 samples handed to the encoder.
  const auto ogg = dir.file("hash.ogg");
  const WrittenAudio oggWritten = writeFile(ogg, formatOf(BitDepth::Pcm16, 2), samples);
  CHECK(oggWritten.audioSha256 == mixdown::test::sha256Hex(littleEndianFloats(interleave(samples))));
}

TEST_CASE("io: resampling on write keeps frequency, level and phase") {
  TempDir dir;
  constexpr double kPhase = 0.3;
  const PlanarSamples samples{mixdown::test::makeSine(1000.0, 48000.0, 96000, 0.5, kPhase)};
  OutputFormat format = formatOf(BitDepth::Float32, 1, 48000);
  format.fileRate = 44100;
  const auto path = dir.file("resampled.wav");
  const WrittenAudio written = writeFile(path, format, samples, {1024});
  CHECK(written.frames == 88200);
  const auto contents = mixdown::test::readSoundFile(path);
  CHECK(contents.sampleRate == 44100);
  REQUIRE(contents.frames == 88200);
  const auto fit = mixdown::test::fitSine(contents.samples[0], 4410, 88200 - 2 * 4410, 1000.0, 44100.0);
  CHECK(std::abs(mixdown::test::amplitudeToDb(fit.amplitude / 0.5)) < 0.05);
  CHECK(fit.residualDbfs() < -100.0);
  CHECK(std::abs(mixdown::test::angleDifference(fit.phaseRad, kPhase)) < 1e-3);

  SUBCASE("block sizes do not change the file") {
    const auto other = dir.file("resampled-blocks.wav");
    writeFile(other, format, samples, {1, 77, 4000, 513});
    CHECK(mixdown::test::fileBytes(other) == mixdown::test::fileBytes(path));
  }
}

TEST_CASE("io: lossy outputs decode at the signal's level") {
  TempDir dir;
  const PlanarSamples samples{mixdown::test::makeSine(1000.0, 44100.0, 44100, 0.5),
                              mixdown::test::makeSine(1000.0, 44100.0, 44100, 0.5)};
  for (const std::string name : {"lossy.ogg", "lossy.mp3"}) {
    CAPTURE(name);
    const auto path = dir.file(name);
    const WrittenAudio written = writeFile(path, formatOf(BitDepth::Pcm16, 2, 44100), samples);
    CHECK(written.frames == 44100);
    const auto contents = mixdown::test::readSoundFile(path);
    CHECK(contents.frames == 44100);
    const std::vector<float> middle(contents.samples[0].begin() + 4410, contents.samples[0].end() - 4410);
    CHECK(std::abs(mixdown::test::amplitudeToDb(mixdown::test::rmsOf(middle) / (0.5 / std::sqrt(2.0)))) < 0.5);
  }
}

TEST_CASE("io: identical writes give byte-identical files in every container") {
  // Two rounds more than a second apart, so any clock-derived header field would differ.
  const PlanarSamples samples{mixdown::test::makeSine(440.0, 48000.0, 20000, 0.5),
                              mixdown::test::makeSine(660.0, 48000.0, 20000, 0.5)};
  struct Case {
    const char* name;
    BitDepth depth;
  };
  const Case cases[] = {
      {"a16.wav", BitDepth::Pcm16},   {"a24.wav", BitDepth::Pcm24},   {"af.wav", BitDepth::Float32},
      {"a16.flac", BitDepth::Pcm16},  {"a24.flac", BitDepth::Pcm24},  {"a24.aiff", BitDepth::Pcm24},
      {"af.aiff", BitDepth::Float32}, {"a.ogg", BitDepth::Pcm16},     {"a.mp3", BitDepth::Pcm16},
      {"af.w64", BitDepth::Float32},  {"a24.rf64", BitDepth::Pcm24},  {"af.rf64", BitDepth::Float32},
  };
  TempDir first;
  TempDir second;
  for (const Case& c : cases) writeFile(first.file(c.name), formatOf(c.depth, 2, 48000, Dither::Tpdf, 9), samples);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  for (const Case& c : cases) writeFile(second.file(c.name), formatOf(c.depth, 2, 48000, Dither::Tpdf, 9), samples);
  for (const Case& c : cases) {
    const std::string caseName = c.name;
    CAPTURE(caseName);
    CHECK(mixdown::test::fileBytes(first.file(c.name)) == mixdown::test::fileBytes(second.file(c.name)));
    const auto contents = mixdown::test::readSoundFile(first.file(c.name));
    CHECK(contents.frames == 20000);
    CHECK(contents.channels == 2);
  }
}

/** Whether entries is one name: ".<target>.<16 lowercase hex digits>.mixdown-tmp". */
bool onlyTemporaryOf(const std::set<std::string>& entries, const std::string& target) {
  if (entries.size() != 1) return false;
  const std::string& name = *entries.begin();
  const std::string prefix = "." + target + ".";
  const std::string suffix = ".mixdown-tmp";
  if (name.size() != prefix.size() + 16 + suffix.size()) return false;
  if (name.compare(0, prefix.size(), prefix) != 0 || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return false;
  return name.find_first_not_of("0123456789abcdef", prefix.size()) == prefix.size() + 16;
}

TEST_CASE("io: the temporary file is renamed into place only by commit") {
  TempDir dir;
  const auto target = dir.file("mix.wav");
  const PlanarSamples samples(2, std::vector<float>(512, 0.25f));
  std::vector<float> planar(1024, 0.25f);

  SUBCASE("commit") {
    AudioFileWriter writer(target, formatOf(BitDepth::Pcm24, 2));
    writer.write(ConstAudioBlock(planar.data(), 2, 512, 512));
    CHECK(onlyTemporaryOf(dir.entries(), "mix.wav"));
    writer.finish();
    CHECK(onlyTemporaryOf(dir.entries(), "mix.wav"));
    writer.commit();
    CHECK(dir.entries() == std::set<std::string>{"mix.wav"});
    CHECK(writer.target() == target);
  }
  SUBCASE("destroyed before finish") {
    {
      AudioFileWriter writer(target, formatOf(BitDepth::Pcm24, 2));
      writer.write(ConstAudioBlock(planar.data(), 2, 512, 512));
    }
    CHECK(dir.entries().empty());
  }
  SUBCASE("finished but not committed") {
    {
      AudioFileWriter writer(target, formatOf(BitDepth::Pcm24, 2));
      writer.write(ConstAudioBlock(planar.data(), 2, 512, 512));
      writer.finish();
    }
    CHECK(dir.entries().empty());
  }
}

TEST_CASE("io: a writer that cannot start throws and creates nothing") {
  TempDir dir;
  CHECK_THROWS_AS(AudioFileWriter(dir.file("missing/mix.wav"), formatOf(BitDepth::Pcm24, 2)), mixdown::IoError);
  CHECK_THROWS_AS(AudioFileWriter(dir.file("mix.xyz"), formatOf(BitDepth::Pcm24, 2)), mixdown::IoError);
  CHECK_THROWS_AS(AudioFileWriter(dir.file("mix.flac"), formatOf(BitDepth::Float32, 2)), mixdown::IoError);
  CHECK_THROWS_AS(AudioFileWriter(dir.file("mix.mp3"), formatOf(BitDepth::Pcm16, 2, 96000)), mixdown::IoError);
  CHECK(dir.entries().empty());
}

TEST_CASE("io: a full disk fails the write with IoError and leaves nothing") {
  // A file-size limit makes write() fail with EFBIG, as a full disk fails with ENOSPC.
  TempDir dir;
  const auto target = dir.file("big.wav");
  rlimit previous{};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &previous) == 0);
  const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit limited = previous;
  limited.rlim_cur = 200000;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &limited) == 0);
  std::string message;
  {
    std::vector<float> planar(2 * 4800, 0.5f);
    try {
      AudioFileWriter writer(target, formatOf(BitDepth::Pcm24, 2));
      for (int block = 0; block < 100; ++block) writer.write(ConstAudioBlock(planar.data(), 2, 4800, 4800));
      writer.finish();
      writer.commit();
    } catch (const mixdown::IoError& error) {
      message = error.what();
    }
  }
  setrlimit(RLIMIT_FSIZE, &previous);
  std::signal(SIGXFSZ, previousHandler);
  CHECK(message.rfind("cannot write \"" + target.string() + "\": ", 0) == 0);
  CHECK(message.find("file too large") != std::string::npos);  // libsndfile's report of EFBIG
  CHECK(dir.entries().empty());
}
