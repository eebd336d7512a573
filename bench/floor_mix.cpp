// The physical yardstick of `make bench`: the least work a mixer must do to
// turn the bench's tracks into a 24-bit stereo mix, written as plainly as
// possible. One thread, libsndfile, blocks of 4096 frames: read a block of
// every track (sf_readf_float), optionally run one biquad per channel,
// apply the fader and pan, sum, write the block. mixdown does all of that
// and much more; how far it is from these loops says what its engine costs.
//
//   floor_mix [--biquad] [--stems DIR] OUT.wav TRACK GAIN_DB PAN [TRACK GAIN_DB PAN ...]
//
// --biquad  an RBJ highpass (80 Hz, Q 0.707) on every channel of every track,
//           in double precision like mixdown's EQ (a float biquad at 80 Hz
//           and 48 kHz is noisy).
// --stems   also write each track after its fader and pan as a 24-bit stereo
//           WAV, DIR/TRACK-NAME.wav.
//
// Pan is mixdown's -3 dB law: constant power (cos/sin) for mono tracks, a
// balance (the far side falls linearly) for stereo ones.

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

constexpr sf_count_t kBlockFrames = 4096;
constexpr double kPi = 3.14159265358979323846;

struct FileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using File = std::unique_ptr<SNDFILE, FileCloser>;

/** RBJ cookbook highpass, transposed direct form II. */
class Highpass {
 public:
  Highpass(double cutoffHz, double q, double sampleRateHz) {
    const double w0 = 2.0 * kPi * cutoffHz / sampleRateHz;
    const double alpha = std::sin(w0) / (2.0 * q);
    const double a0 = 1.0 + alpha;
    b0_ = (1.0 + std::cos(w0)) / 2.0 / a0;
    b1_ = -(1.0 + std::cos(w0)) / a0;
    b2_ = b0_;
    a1_ = -2.0 * std::cos(w0) / a0;
    a2_ = (1.0 - alpha) / a0;
  }
  float process(float input) {
    const double x = input;
    const double y = b0_ * x + s1_;
    s1_ = b1_ * x - a1_ * y + s2_;
    s2_ = b2_ * x - a2_ * y;
    return static_cast<float>(y);
  }

 private:
  double b0_, b1_, b2_, a1_, a2_;
  double s1_ = 0.0, s2_ = 0.0;
};

struct Track {
  File file;
  int channels = 1;
  float gainLeft = 1.0f, gainRight = 1.0f;
  std::vector<Highpass> filters;  // one per channel, empty without --biquad
  File stem;                      // null without --stems
};

File openFile(const std::string& path, int mode, SF_INFO& info) {
  File file(sf_open(path.c_str(), mode, &info));
  if (!file) {
    std::fprintf(stderr, "floor_mix: %s: %s\n", path.c_str(), sf_strerror(nullptr));
    std::exit(1);
  }
  // Values past full scale are clamped, as a mixer's integer output is, instead of wrapping.
  if (mode == SFM_WRITE) sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
  return file;
}

File openStereo24(const std::string& path, int sampleRate) {
  SF_INFO info{};
  info.samplerate = sampleRate;
  info.channels = 2;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
  return openFile(path, SFM_WRITE, info);
}

std::string baseName(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void writeBlock(SNDFILE* file, const float* frames, sf_count_t count) {
  if (sf_writef_float(file, frames, count) != count) {
    std::fprintf(stderr, "floor_mix: write failed: %s\n", sf_strerror(file));
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool biquad = false;
  std::string stemsDir;
  int arg = 1;
  for (; arg < argc && std::strncmp(argv[arg], "--", 2) == 0; ++arg) {
    if (std::strcmp(argv[arg], "--biquad") == 0) {
      biquad = true;
    } else if (std::strcmp(argv[arg], "--stems") == 0 && arg + 1 < argc) {
      stemsDir = argv[++arg];
    } else {
      break;
    }
  }
  if (argc - arg < 4 || (argc - arg - 1) % 3 != 0) {
    std::fprintf(stderr, "usage: floor_mix [--biquad] [--stems DIR] OUT.wav TRACK GAIN_DB PAN [TRACK GAIN_DB PAN ...]\n");
    return 2;
  }
  const std::string outPath = argv[arg++];

  std::vector<Track> tracks;
  int sampleRate = 0;
  for (; arg < argc; arg += 3) {
    SF_INFO info{};
    Track track;
    track.file = openFile(argv[arg], SFM_READ, info);
    if (sampleRate == 0) sampleRate = info.samplerate;
    if (info.samplerate != sampleRate || info.channels > 2) {
      std::fprintf(stderr, "floor_mix: %s: every track must be mono or stereo at %d Hz\n", argv[arg], sampleRate);
      return 1;
    }
    track.channels = info.channels;
    const double gain = std::pow(10.0, std::strtod(argv[arg + 1], nullptr) / 20.0);
    const double pan = std::strtod(argv[arg + 2], nullptr);
    if (track.channels == 1) {
      const double angle = (pan + 1.0) * kPi / 4.0;
      track.gainLeft = static_cast<float>(gain * std::cos(angle));
      track.gainRight = static_cast<float>(gain * std::sin(angle));
    } else {
      track.gainLeft = static_cast<float>(gain * (pan > 0.0 ? 1.0 - pan : 1.0));
      track.gainRight = static_cast<float>(gain * (pan < 0.0 ? 1.0 + pan : 1.0));
    }
    if (biquad) track.filters.assign(static_cast<std::size_t>(track.channels), Highpass(80.0, 0.7071, sampleRate));
    if (!stemsDir.empty()) track.stem = openStereo24(stemsDir + "/" + baseName(argv[arg]), sampleRate);
    tracks.push_back(std::move(track));
  }
  File mix = openStereo24(outPath, sampleRate);

  std::vector<float> input(2 * kBlockFrames), stem(2 * kBlockFrames), sum(2 * kBlockFrames);
  for (;;) {
    sf_count_t blockFrames = 0;
    std::fill(sum.begin(), sum.end(), 0.0f);
    for (Track& track : tracks) {
      const sf_count_t frames = sf_readf_float(track.file.get(), input.data(), kBlockFrames);
      blockFrames = std::max(blockFrames, frames);
      for (sf_count_t n = 0; n < frames; ++n) {
        float left = input[static_cast<std::size_t>(n * track.channels)];
        float right = track.channels == 2 ? input[static_cast<std::size_t>(2 * n + 1)] : left;
        if (biquad) {
          left = track.filters[0].process(left);
          right = track.channels == 2 ? track.filters[1].process(right) : left;
        }
        const auto at = static_cast<std::size_t>(2 * n);
        stem[at] = track.gainLeft * left;
        stem[at + 1] = track.gainRight * right;
        sum[at] += stem[at];
        sum[at + 1] += stem[at + 1];
      }
      if (track.stem) writeBlock(track.stem.get(), stem.data(), frames);
    }
    if (blockFrames == 0) break;
    writeBlock(mix.get(), sum.data(), blockFrames);
  }
  return 0;
}
