#include "mixdown/analysis/mix_profile.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <numbers>

#include "mixdown/analysis/spectral_frames.h"
#include "mixdown/audio/decibels.h"
#include "mixdown/dsp/biquad.h"
#include "mixdown/io/planar_file_reader.h"
#include "mixdown/util/error.h"

namespace mixdown::analysis {

namespace {

constexpr int kBlockFrames = 4096;
/** A frame or window counts when the mean of L and R is above -70 dBFS mean square (the loudness gate's absolute level). */
constexpr double kActivePower = 1e-7;
constexpr double kShortTermS = 3.0;
constexpr double kShortTermStepS = 1.0;

enum Signal { kLeft, kRight, kMid, kSide, kSignalCount };

/** A band's signal for its crest factor: the mid through 4th-order Linkwitz-Riley edges. */
class BandFilter {
public:
  BandFilter(const FrequencyBand& band, double sampleRateHz, double nyquistHz) {
    const auto addPair = [&](dsp::BiquadShape shape, double edgeHz) {
      for (int section = 0; section < 2; ++section)
        sections_.emplace_back().setCoefficients(dsp::designRbj(shape, edgeHz, std::numbers::sqrt2 / 2.0, 0.0, sampleRateHz));
    };
    if (band.lowHz > 0.0) addPair(dsp::BiquadShape::Highpass, band.lowHz);
    if (band.highHz < nyquistHz) addPair(dsp::BiquadShape::Lowpass, band.highHz);
  }

  void add(double sample) noexcept {
    for (dsp::Biquad& section : sections_) sample = section.processSample(0, sample);
    peak_ = std::max(peak_, std::abs(sample));
    sumOfSquares_ += sample * sample;
  }

  std::optional<double> crestDb(std::int64_t frames) const noexcept {
    if (frames == 0 || !(sumOfSquares_ > 0.0)) return std::nullopt;
    return audio::gainToDb(peak_ / std::sqrt(sumOfSquares_ / static_cast<double>(frames)));
  }

private:
  std::vector<dsp::Biquad> sections_;
  double peak_ = 0.0;
  double sumOfSquares_ = 0.0;
};

/** The k-th smallest of values at the nearest rank of percentile p (0..1): ceil(p n) - 1. */
double percentileOf(std::vector<double> values, double p) {
  if (values.empty()) return 0.0;
  const auto rank = std::clamp<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(std::ceil(p * static_cast<double>(values.size()))) - 1,
                                               0, static_cast<std::ptrdiff_t>(values.size()) - 1);
  std::nth_element(values.begin(), values.begin() + rank, values.end());
  return values[static_cast<size_t>(rank)];
}

/** Everything measured of one set of bands: summed power of each signal over the active frames, and the mid per frame. */
class BandAccumulator {
public:
  BandAccumulator(const std::vector<FrequencyBand>& bands, double binHz, int binCount)
      : bands_(bands), summer_(bands, binHz, binCount), framePower_(bands.size()) {
    for (auto& sums : activeSums_) sums.assign(bands.size(), 0.0);
  }

  void addFrame(const std::array<const std::vector<double>*, kSignalCount>& spectra, bool active) {
    for (int signal = 0; signal < kSignalCount; ++signal) {
      summer_.sum(*spectra[static_cast<size_t>(signal)], framePower_.data());
      if (active)
        for (size_t b = 0; b < bands_.size(); ++b) activeSums_[static_cast<size_t>(signal)][b] += framePower_[b];
      if (signal == kMid) midPerFrame_.insert(midPerFrame_.end(), framePower_.begin(), framePower_.end());
    }
    if (active) ++activeFrames_;
  }

  /** The profile of each band; windows are the [start, start + length) frame ranges of the short-term levels. */
  std::vector<BandProfile> finish(const std::vector<std::pair<size_t, size_t>>& windows, bool stereo) const {
    std::vector<BandProfile> profiles;
    const double frames = static_cast<double>(std::max<std::int64_t>(activeFrames_, 1));
    for (size_t b = 0; b < bands_.size(); ++b) {
      const auto power = [&](Signal signal) { return activeSums_[static_cast<size_t>(signal)][b] / frames; };
      BandProfile profile{bands_[b], {}};
      BandLevels& levels = profile.levels;
      const double mid = power(kMid);
      levels.midDb = audio::powerToDb(mid);
      levels.sideDb = stereo ? audio::powerToDb(power(kSide)) : -std::numeric_limits<double>::infinity();
      const double left = stereo ? power(kLeft) : mid;
      const double right = stereo ? power(kRight) : mid;
      const double side = stereo ? power(kSide) : 0.0;
      if (left > 0.0 && right > 0.0) levels.correlation = std::clamp((mid - side) / std::sqrt(left * right), -1.0, 1.0);
      if (left + right > 0.0) levels.monoLossDb = audio::powerToDb(mid / ((left + right) / 2.0));
      std::vector<double> windowPowers;
      for (const auto& [start, length] : windows) {
        double sum = 0.0;
        for (size_t k = start; k < start + length; ++k) sum += midPerFrame_[k * bands_.size() + b];
        windowPowers.push_back(sum / static_cast<double>(length));
      }
      levels.midP10Db = audio::powerToDb(percentileOf(windowPowers, 0.10));
      levels.midP50Db = audio::powerToDb(percentileOf(windowPowers, 0.50));
      levels.midP90Db = audio::powerToDb(percentileOf(windowPowers, 0.90));
      profiles.push_back(profile);
    }
    return profiles;
  }

private:
  std::vector<FrequencyBand> bands_;
  BandSummer summer_;
  std::vector<double> framePower_;
  std::array<std::vector<double>, kSignalCount> activeSums_;
  std::vector<double> midPerFrame_;  // frame-major: [frame][band]
  std::int64_t activeFrames_ = 0;
};

/** The short-term windows: 3 s of frames every 1 s, kept where the file is active; the whole file when shorter. */
std::vector<std::pair<size_t, size_t>> activeWindows(const std::vector<double>& powerPerFrame, double framesPerSecond) {
  const size_t frames = powerPerFrame.size();
  const auto length = std::max<size_t>(1, static_cast<size_t>(std::lround(kShortTermS * framesPerSecond)));
  const auto step = std::max<size_t>(1, static_cast<size_t>(std::lround(kShortTermStepS * framesPerSecond)));
  std::vector<std::pair<size_t, size_t>> all;
  if (frames == 0) return all;
  if (frames <= length) {
    all.emplace_back(0, frames);
  } else {
    for (size_t start = 0; start + length <= frames; start += step) all.emplace_back(start, length);
  }
  std::vector<std::pair<size_t, size_t>> active;
  for (const auto& [start, count] : all) {
    double sum = 0.0;
    for (size_t k = start; k < start + count; ++k) sum += powerPerFrame[k];
    if (sum / static_cast<double>(count) >= kActivePower) active.emplace_back(start, count);
  }
  return active;
}

}  // namespace

std::vector<FrequencyBand> broadBands(double maxHz) {
  std::vector<FrequencyBand> bands;
  double low = 0.0;
  for (const double edge : kBroadBandEdgesHz) {
    if (edge >= maxHz) break;
    bands.push_back({low, edge});
    low = edge;
  }
  bands.push_back({low, maxHz});
  return bands;
}

MixProfile profileOfFile(const std::filesystem::path& path, const std::vector<FrequencyBand>& thirdOctaves,
                         const std::vector<FrequencyBand>& broad) {
  io::PlanarFileReader reader(path, kBlockFrames);
  const io::AudioFileInfo& info = reader.info();
  if (info.channels > 2)
    throw IoError("cannot compare " + io::quotedPath(path) + ": it has " + std::to_string(info.channels) +
                  " channels (a mix or reference is mono or stereo)");
  const bool stereo = info.channels == 2;
  const int rate = info.sampleRate;
  const double nyquistHz = rate / 2.0;

  MixProfile profile;
  profile.name = path.string();
  profile.sampleRateHz = rate;
  profile.channels = info.channels;
  profile.seconds = static_cast<double>(info.frames) / rate;

  LoudnessMeter loudness(info.channels, rate);
  std::vector<std::unique_ptr<SpectralFrames>> spectra;
  for (int signal = 0; signal < kSignalCount; ++signal) spectra.push_back(std::make_unique<SpectralFrames>(rate));
  const int binCount = spectra[kMid]->frameFrames() / 2 + 1;
  const double binHz = spectra[kMid]->binHz();
  BandAccumulator thirds(thirdOctaves, binHz, binCount);
  BandAccumulator broadBandsMeasured(broad, binHz, binCount);
  std::vector<BandFilter> crestFilters;
  for (const FrequencyBand& band : broad) crestFilters.emplace_back(band, rate, nyquistHz);
  std::vector<double> powerPerFrame;  // the mean of L and R, all bins

  const auto completeFrame = [&] {
    double total = 0.0;
    for (const double bin : spectra[kLeft]->powerSpectrum()) total += bin;
    for (const double bin : spectra[kRight]->powerSpectrum()) total += bin;
    powerPerFrame.push_back(total / 2.0);
    const bool active = total / 2.0 >= kActivePower;
    std::array<const std::vector<double>*, kSignalCount> frame{};
    for (int signal = 0; signal < kSignalCount; ++signal)
      frame[static_cast<size_t>(signal)] = &spectra[static_cast<size_t>(signal)]->powerSpectrum();
    thirds.addFrame(frame, active);
    broadBandsMeasured.addFrame(frame, active);
  };

  std::array<std::vector<float>, kSignalCount> signals;
  for (auto& samples : signals) samples.resize(kBlockFrames);
  for (ConstAudioBlock block = reader.next(); block.frames() > 0; block = reader.next()) {
    loudness.add(block);
    const int frames = block.frames();
    const float* left = block.channel(0);
    const float* right = block.channel(stereo ? 1 : 0);
    for (int n = 0; n < frames; ++n) {
      signals[kLeft][static_cast<size_t>(n)] = left[n];
      signals[kRight][static_cast<size_t>(n)] = right[n];
      signals[kMid][static_cast<size_t>(n)] = 0.5f * (left[n] + right[n]);
      signals[kSide][static_cast<size_t>(n)] = 0.5f * (left[n] - right[n]);
      for (BandFilter& filter : crestFilters) filter.add(signals[kMid][static_cast<size_t>(n)]);
    }
    for (int offset = 0; offset < frames;) {
      int taken = 0;
      for (int signal = 0; signal < kSignalCount; ++signal)
        taken = spectra[static_cast<size_t>(signal)]->add(signals[static_cast<size_t>(signal)].data() + offset, frames - offset);
      offset += taken;
      if (spectra[kMid]->frameReady()) completeFrame();
    }
  }
  for (;;) {
    bool more = false;
    for (int signal = 0; signal < kSignalCount; ++signal) more = spectra[static_cast<size_t>(signal)]->flush();
    if (!more) break;
    completeFrame();
  }

  profile.loudness = loudness.result();
  const double framesPerSecond = rate / static_cast<double>(spectra[kMid]->hopFrames());
  const auto windows = activeWindows(powerPerFrame, framesPerSecond);
  profile.thirdOctaves = thirds.finish(windows, stereo);
  profile.broadBands = broadBandsMeasured.finish(windows, stereo);
  for (size_t b = 0; b < broad.size(); ++b) profile.broadBands[b].levels.crestDb = crestFilters[b].crestDb(info.frames);
  return profile;
}

}  // namespace mixdown::analysis
