#include "mixdown/io/audio_file_writer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "mixdown/io/audio_file_info.h"
#include "mixdown/io/output_commit.h"
#include "mixdown/io/reproducible_container.h"
#include "mixdown/dsp/resampler.h"
#include "mixdown/io/sample_quantizer.h"
#include "mixdown/io/sha256.h"
#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"
#include "mixdown/util/sum_of_squares.h"

namespace mixdown::io {
namespace {

bool isLossy(const std::string& container) { return container == "ogg" || container == "mp3"; }

int majorFormatOf(const std::string& container) {
  if (container == "wav") return SF_FORMAT_WAV;
  if (container == "flac") return SF_FORMAT_FLAC;
  if (container == "aiff") return SF_FORMAT_AIFF;
  if (container == "ogg") return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  if (container == "mp3") return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
  if (container == "w64") return SF_FORMAT_W64;
  if (container == "rf64") return SF_FORMAT_RF64;
  return 0;
}

int subFormatOf(BitDepth bitDepth) {
  switch (bitDepth) {
    case BitDepth::Pcm16:
      return SF_FORMAT_PCM_16;
    case BitDepth::Pcm24:
      return SF_FORMAT_PCM_24;
    case BitDepth::Pcm32:
      return SF_FORMAT_PCM_32;
    case BitDepth::Float32:
      return SF_FORMAT_FLOAT;
  }
  return 0;
}

std::string bitDepthName(BitDepth bitDepth) {
  return bitDepth == BitDepth::Float32 ? std::string("32-bit float") : std::to_string(bitsOf(bitDepth)) + "-bit PCM";
}

double toDbfs(double linear, double power) {
  return linear > 0.0 ? power * std::log10(linear) : -std::numeric_limits<double>::infinity();
}

void appendLittleEndian(std::vector<unsigned char>& bytes, std::uint32_t value, int byteCount) {
  for (int i = 0; i < byteCount; ++i) bytes.push_back(static_cast<unsigned char>(value >> (8 * i)));
}

// The Ogg stream serial: the first 32 bits of the audio's hash, so it repeats for
// the same audio and differs between different outputs.
std::uint32_t serialFromHash(const std::string& hexDigest) {
  return static_cast<std::uint32_t>(std::stoul(hexDigest.substr(0, 8), nullptr, 16));
}

}  // namespace

std::string containerForPath(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
  if (extension == ".wav" || extension == ".wave") return "wav";
  if (extension == ".flac") return "flac";
  if (extension == ".aiff" || extension == ".aif") return "aiff";
  if (extension == ".ogg" || extension == ".oga") return "ogg";
  if (extension == ".mp3") return "mp3";
  if (extension == ".w64") return "w64";
  if (extension == ".rf64") return "rf64";
  return {};
}

bool containerSupports(const std::string& container, BitDepth bitDepth) {
  if (container == "wav" || container == "aiff" || container == "w64" || container == "rf64") return true;
  if (container == "flac") return bitDepth == BitDepth::Pcm16 || bitDepth == BitDepth::Pcm24;
  return isLossy(container);
}

bool containerSupportsRate(const std::string& container, int sampleRate) {
  if (container.empty() || sampleRate <= 0) return false;
  if (container != "mp3") return true;
  constexpr std::array<int, 9> kMpegRates{8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};
  return std::find(kMpegRates.begin(), kMpegRates.end(), sampleRate) != kMpegRates.end();
}

int bitsOf(BitDepth bitDepth) noexcept {
  switch (bitDepth) {
    case BitDepth::Pcm16:
      return 16;
    case BitDepth::Pcm24:
      return 24;
    case BitDepth::Pcm32:
    case BitDepth::Float32:
      return 32;
  }
  return 32;
}

struct AudioFileWriter::State {
  std::filesystem::path target;
  std::optional<TemporaryFile> temporary;
  OutputFormat format;
  std::string container;
  SoundFile file;
  std::unique_ptr<dsp::Resampler> resampler;
  std::unique_ptr<SampleQuantizer> quantizer;  // integer PCM only
  Sha256 hash;
  double peak = 0.0;
  SumOfSquares squares;
  std::int64_t floatClipped = 0;
  std::int64_t inputFrames = 0;
  std::int64_t writtenFrames = 0;
  std::vector<float> interleaved;
  std::vector<float> resampled;
  std::vector<std::int32_t> codes;
  std::vector<short> shortSamples;
  std::vector<int> intSamples;
  std::vector<unsigned char> writtenBytes;
  bool finished = false;
  bool failed = false;  // a write or finish() threw: the file must not be committed
  WrittenAudio result;

  ~State() { file.close(); }  // before the temporary file's descriptor closes

  /**
   * Throws IoError naming the target. When errno (of the failed write; cleared
   * before each) is one a retry may cure, the error is transient and says so
   * in the system's words: a codec's own text ("unspecified internal error")
   * hides a full disk.
   */
  [[noreturn]] void throwWriteError(const std::string& reason) const {
    const int error = errno;
    if (isTransientErrno(error)) throw ioErrorFromErrno("cannot write " + quotedPath(target), error);
    throw IoError("cannot write " + quotedPath(target) + ": " + reason);
  }
  void emit(const float* samples, std::size_t frames);
  void emitInteger(const float* samples, std::size_t count);
  void emitFloat(const float* samples, std::size_t count);
  void resampleAndEmit(const float* samples, std::size_t frames);
  void drainResampler();
  void verifyReadBack();
};

AudioFileWriter::AudioFileWriter(std::filesystem::path target, const OutputFormat& format)
    : state_(std::make_unique<State>()) {
  State& state = *state_;
  state.target = std::move(target);
  state.format = format;
  state.container = containerForPath(state.target);
  if (format.channels <= 0 || format.renderRate <= 0 || format.fileRate <= 0) {
    throw std::invalid_argument("AudioFileWriter: channels and rates must be positive");
  }
  if (state.container.empty()) {
    state.throwWriteError("unknown audio format \"" + state.target.extension().string() +
                          "\" (use .wav, .flac, .aiff, .ogg, .mp3, .w64 or .rf64)");
  }
  if (!containerSupports(state.container, format.bitDepth)) {
    state.throwWriteError(state.container + " cannot hold " + bitDepthName(format.bitDepth) + " samples");
  }
  if (!containerSupportsRate(state.container, format.fileRate)) {
    state.throwWriteError(state.container + " cannot be written at " + std::to_string(format.fileRate) + " Hz");
  }
  const std::filesystem::path directory = state.target.parent_path();
  std::error_code error;
  if (!directory.empty() && !std::filesystem::is_directory(directory, error)) {
    state.throwWriteError("no such directory " + quotedPath(directory));
  }
  state.temporary.emplace(state.target);

  const bool lossy = isLossy(state.container);
  SF_INFO info{};
  info.samplerate = format.fileRate;
  info.channels = format.channels;
  info.format = majorFormatOf(state.container) | (lossy ? 0 : subFormatOf(format.bitDepth));
  state.file = SoundFile::openWrite(state.temporary->descriptor(), info, state.target);
  // A PEAK chunk carries a time stamp; leave it out so headers repeat (no effect on RF64, see finish()).
  sf_command(state.file.handle(), SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);

  if (format.fileRate != format.renderRate) {
    state.resampler = std::make_unique<dsp::Resampler>(format.renderRate, format.fileRate, format.channels);
  }
  if (!lossy && format.bitDepth != BitDepth::Float32) {
    state.quantizer = std::make_unique<SampleQuantizer>(bitsOf(format.bitDepth), format.dither, format.ditherSeed,
                                                        format.channels);
  }
}

AudioFileWriter::~AudioFileWriter() = default;

const std::filesystem::path& AudioFileWriter::target() const noexcept { return state_->target; }

void AudioFileWriter::write(ConstAudioBlock block) {
  State& state = *state_;
  if (state.finished || state.failed) throw std::logic_error("AudioFileWriter::write after finish or failure");
  if (block.channels() != state.format.channels) {
    throw std::invalid_argument("AudioFileWriter::write: block has the wrong channel count");
  }
  state.failed = true;  // until this write succeeds
  errno = 0;
  const auto frames = static_cast<std::size_t>(block.frames());
  const auto channels = static_cast<std::size_t>(block.channels());
  state.interleaved.resize(frames * channels);
  for (std::size_t c = 0; c < channels; ++c) {
    const float* source = block.channel(static_cast<int>(c));
    for (std::size_t frame = 0; frame < frames; ++frame) state.interleaved[frame * channels + c] = source[frame];
  }
  state.inputFrames += block.frames();
  if (state.resampler) {
    state.resampleAndEmit(state.interleaved.data(), frames);
  } else {
    state.emit(state.interleaved.data(), frames);
  }
  state.failed = false;
}

void AudioFileWriter::State::resampleAndEmit(const float* samples, std::size_t frames) {
  const auto channels = static_cast<std::size_t>(format.channels);
  const auto capacity = static_cast<std::size_t>(
      dsp::Resampler::outputFrameCount(static_cast<std::int64_t>(frames), format.renderRate, format.fileRate) + 64);
  resampled.resize(capacity * channels);
  std::size_t used = 0;
  while (used < frames) {
    const auto progress = resampler->process(samples + used * channels, frames - used, resampled.data(), capacity);
    if (progress.inputFramesUsed == 0 && progress.outputFrames == 0) {
      throw std::runtime_error("resampler made no progress");
    }
    used += progress.inputFramesUsed;
    emit(resampled.data(), progress.outputFrames);
  }
}

void AudioFileWriter::State::drainResampler() {
  // soxr's total is the input length times the ratio, rounded; hold the file to exactly that.
  const std::int64_t expectedFrames = dsp::Resampler::outputFrameCount(inputFrames, format.renderRate, format.fileRate);
  const auto channels = static_cast<std::size_t>(format.channels);
  constexpr std::size_t kDrainFrames = 4096;
  resampled.resize(kDrainFrames * channels);
  for (;;) {
    const std::size_t drained = resampler->drain(resampled.data(), kDrainFrames);
    if (drained == 0) break;
    const auto wanted = static_cast<std::size_t>(std::max<std::int64_t>(0, expectedFrames - writtenFrames));
    emit(resampled.data(), std::min(drained, wanted));
  }
  std::fill(resampled.begin(), resampled.end(), 0.0f);
  while (writtenFrames < expectedFrames) {
    emit(resampled.data(), static_cast<std::size_t>(std::min<std::int64_t>(expectedFrames - writtenFrames,
                                                                            static_cast<std::int64_t>(kDrainFrames))));
  }
}

void AudioFileWriter::State::emit(const float* samples, std::size_t frames) {
  if (frames == 0) return;
  const std::size_t count = frames * static_cast<std::size_t>(format.channels);
  writtenBytes.clear();
  if (quantizer) {
    emitInteger(samples, count);
  } else {
    emitFloat(samples, count);
  }
  hash.update(writtenBytes.data(), writtenBytes.size());
  writtenFrames += static_cast<std::int64_t>(frames);
}

void AudioFileWriter::State::emitInteger(const float* samples, std::size_t count) {
  codes.resize(count);
  quantizer->quantize(samples, count, codes.data());
  const int bits = quantizer->bits();
  const double fullScale = quantizer->fullScale();
  const auto bytesPerSample = static_cast<std::size_t>(bits / 8);
  writtenBytes.resize(count * bytesPerSample);
  unsigned char* bytes = writtenBytes.data();
  std::int64_t peakCode = 0;
  const double perCode = 1.0 / fullScale;  // a power of two: multiplying by it is dividing by fullScale, exactly
  for (const std::int32_t code : codes) {
    const std::int64_t magnitude = code < 0 ? -static_cast<std::int64_t>(code) : code;
    peakCode = std::max(peakCode, magnitude);
    squares.add(code * perCode);
  }
  // Little-endian, bytesPerSample bytes of each code (the constant widths unrolled).
  const auto pack = [&]<std::size_t kBytes>() {
    for (const std::int32_t code : codes) {
      const auto word = static_cast<std::uint32_t>(code);
      for (std::size_t byte = 0; byte < kBytes; ++byte) *bytes++ = static_cast<unsigned char>(word >> (8 * byte));
    }
  };
  if (bytesPerSample == 2) pack.template operator()<2>();
  else if (bytesPerSample == 3) pack.template operator()<3>();
  else pack.template operator()<4>();
  peak = std::max(peak, static_cast<double>(peakCode) / fullScale);
  const auto frames = static_cast<sf_count_t>(count / static_cast<std::size_t>(format.channels));
  sf_count_t written = 0;
  if (bits == 24 && (container == "wav" || container == "w64" || container == "rf64")) {
    // Little-endian 24-bit PCM: the bytes just made for the hash are the file's, as they stand.
    const auto size = static_cast<sf_count_t>(writtenBytes.size());
    if (sf_write_raw(file.handle(), writtenBytes.data(), size) != size) throwWriteError(file.errorText());
    return;
  }
  if (bits == 16) {
    shortSamples.resize(count);
    for (std::size_t i = 0; i < count; ++i) shortSamples[i] = static_cast<short>(codes[i]);
    written = sf_writef_short(file.handle(), shortSamples.data(), frames);
  } else {
    // libsndfile's int interface is full-scale 32-bit; it stores a 24-bit file's
    // samples as value >> 8, so the code goes in the top 24 bits.
    intSamples.resize(count);
    const std::int32_t multiplier = bits == 24 ? 256 : 1;
    for (std::size_t i = 0; i < count; ++i) intSamples[i] = codes[i] * multiplier;
    written = sf_writef_int(file.handle(), intSamples.data(), frames);
  }
  if (written != frames) throwWriteError(file.errorText());
}

void AudioFileWriter::State::emitFloat(const float* samples, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    const double value = samples[i];
    if (!(std::abs(value) <= 1.0)) ++floatClipped;  // beyond full scale, or NaN
    if (std::isfinite(value)) {
      peak = std::max(peak, std::abs(value));
      squares.add(value);
    }
    std::uint32_t bitsOfSample = 0;
    std::memcpy(&bitsOfSample, &samples[i], sizeof bitsOfSample);
    appendLittleEndian(writtenBytes, bitsOfSample, 4);
  }
  const auto frames = static_cast<sf_count_t>(count / static_cast<std::size_t>(format.channels));
  if (sf_writef_float(file.handle(), samples, frames) != frames) throwWriteError(file.errorText());
}

void AudioFileWriter::State::verifyReadBack() {
  // sf_close can lose a failed final write (its codec's error is overwritten by the
  // close's), so the closed file must read back with every frame written.
  AudioFileInfo info;
  try {
    info = probeAudioFile(temporary->reopenPath());
  } catch (const IoError& error) {
    throwWriteError(std::string("the written file does not read back (") + error.what() + ")");
  }
  if (info.frames != writtenFrames) {
    throwWriteError("the written file reads back with " + std::to_string(info.frames) + " frames, " +
                    std::to_string(writtenFrames) + " were written");
  }
}

WrittenAudio AudioFileWriter::finish() {
  State& state = *state_;
  if (state.finished) return state.result;
  if (state.failed) throw std::logic_error("AudioFileWriter::finish after a failed write");
  state.failed = true;  // until finishing succeeds
  errno = 0;
  if (state.resampler) state.drainResampler();
  const std::string closeError = state.file.close();
  if (!closeError.empty()) state.throwWriteError(closeError);

  WrittenAudio& result = state.result;
  result.frames = state.writtenFrames;
  result.container = state.container;
  result.audioSha256 = state.hash.finishHex();
  const auto sampleCount = static_cast<double>(state.writtenFrames) * state.format.channels;
  result.samplePeakDbfs = toDbfs(state.peak, 20.0);
  result.rmsDbfs = sampleCount > 0 ? toDbfs(state.squares.total() / sampleCount, 10.0)
                                   : -std::numeric_limits<double>::infinity();
  result.clippedSamples = state.quantizer ? state.quantizer->clippedSamples() : state.floatClipped;

  if (state.container == "ogg")
    setOggSerialNumber(state.temporary->reopenPath(), serialFromHash(result.audioSha256), state.target);
  if (state.container == "rf64") clearPeakTimestamp(state.temporary->reopenPath(), state.target);
  if (state.writtenFrames > 0) state.verifyReadBack();
  state.failed = false;
  state.finished = true;
  return result;
}

StagedFile AudioFileWriter::staged() {
  State& state = *state_;
  if (!state.finished) throw std::logic_error("AudioFileWriter::staged before finish");
  return {&*state.temporary, state.target};
}

void AudioFileWriter::commit() { commitStagedFiles({staged()}); }

}  // namespace mixdown::io
