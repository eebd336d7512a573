// Masking analysis: synthetic stems whose overlap is known in advance, the
// attribution's arithmetic, and independence from block sizes.
#include "mixdown/analysis/masking_analysis.h"

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <random>
#include <vector>

namespace mixdown::analysis {

namespace {

constexpr int kRateHz = 48000;

using Signal = std::vector<float>;

/** A sine with 50 ms raised-cosine fades (an abrupt start would splash a click across every band). */
Signal tone(double frequencyHz, double amplitude, double seconds) {
  Signal samples(static_cast<size_t>(seconds * kRateHz));
  const double fadeFrames = 0.05 * kRateHz;
  for (size_t n = 0; n < samples.size(); ++n) {
    const double edge = std::min(static_cast<double>(n), static_cast<double>(samples.size() - 1 - n));
    const double fade = edge < fadeFrames ? 0.5 - 0.5 * std::cos(std::numbers::pi * edge / fadeFrames) : 1.0;
    samples[n] = static_cast<float>(fade * amplitude * std::sin(2.0 * std::numbers::pi * frequencyHz * static_cast<double>(n) / kRateHz));
  }
  return samples;
}

/** Feeds mono stems in blocks whose sizes blockFrames() chooses, then finishes. */
MaskingResult analyse(const std::vector<std::string>& names, const std::vector<Signal>& stems,
                      const std::function<int()>& blockFrames) {
  MaskingAnalysis analysis(names, kRateHz);
  const size_t length = stems.front().size();
  for (size_t done = 0; done < length;) {
    const size_t count = std::min<size_t>(static_cast<size_t>(blockFrames()), length - done);
    std::vector<ConstAudioBlock> blocks;
    for (const Signal& stem : stems) blocks.emplace_back(stem.data() + done, 1, static_cast<int>(count), static_cast<int>(count));
    analysis.add(blocks);
    done += count;
  }
  return analysis.finish();
}

MaskingResult analyse(const std::vector<std::string>& names, const std::vector<Signal>& stems) {
  return analyse(names, stems, [] { return 1024; });
}

int bandOf(const MaskingResult& result, double frequencyHz) {
  for (size_t b = 0; b < result.bands.size(); ++b)
    if (frequencyHz >= result.bands[b].lowHz && frequencyHz < result.bands[b].highHz) return static_cast<int>(b);
  return -1;
}

int regionIndex(const char* name) {
  for (int r = 0; r < kMaskingRegionCount; ++r)
    if (std::string(kMaskingRegions[r].name) == name) return r;
  return -1;
}

/** Kick: a 50 Hz sine burst every 0.5 s decaying with a 150 ms time constant. Bass: 80 Hz during the notes. */
struct KickAndBass {
  Signal kick;
  Signal bass;
  std::vector<std::pair<double, double>> notesS{{1.0, 3.0}, {5.0, 7.0}};
};

KickAndBass kickAndBass() {
  constexpr double kSeconds = 8.0;
  KickAndBass stems;
  stems.kick.resize(static_cast<size_t>(kSeconds * kRateHz));
  stems.bass.resize(stems.kick.size());
  for (size_t n = 0; n < stems.kick.size(); ++n) {
    const double timeS = static_cast<double>(n) / kRateHz;
    const double sinceHitS = std::fmod(timeS, 0.5);
    stems.kick[n] = static_cast<float>(0.5 * std::exp(-sinceHitS / 0.15) * std::sin(2.0 * std::numbers::pi * 50.0 * sinceHitS));
    for (const auto& [startS, endS] : stems.notesS)
      if (timeS >= startS && timeS < endS)
        stems.bass[n] = static_cast<float>(0.4 * std::sin(2.0 * std::numbers::pi * 80.0 * (timeS - startS)));
  }
  return stems;
}

}  // namespace

TEST_CASE("masking: 40 ERB bands from 20 Hz to 20 kHz, each a region's") {
  const MaskingResult result = analyse({"a"}, {tone(1000.0, 0.1, 1.0)});
  REQUIRE(result.bands.size() == static_cast<size_t>(kMaskingBandCount));
  CHECK(result.bands.front().lowHz == 20.0);
  CHECK(result.bands.back().highHz == 20000.0);
  // Equal steps in ERB number: 21.4 log10(1 + 0.00437 f) (Glasberg and Moore 1990).
  const double stepErb = (erbNumberOf(20000.0) - erbNumberOf(20.0)) / kMaskingBandCount;
  for (const FrequencyBand& band : result.bands)
    CHECK(erbNumberOf(band.highHz) - erbNumberOf(band.lowHz) == doctest::Approx(stepErb).epsilon(1e-9));
}

TEST_CASE("masking: two tones an octave apart do not mask each other, equal tones in one band mask each other fully") {
  const MaskingResult apart = analyse({"low", "high"}, {tone(1000.0, 0.1, 4.0), tone(2000.0, 0.1, 4.0)});
  for (const TrackMasking& track : apart.tracks) {
    CHECK(track.overall.audibleS > 3.5);
    CHECK(track.overall.maskedFraction == 0.0);
    CHECK(track.overall.maskers.empty());
    for (const auto& fraction : track.bandMaskedFraction)
      if (fraction) CHECK(*fraction == 0.0);
  }
  // The far bands are never audible for either tone: nothing is counted there.
  const int farBand = bandOf(apart, 8000.0);
  CHECK_FALSE(apart.tracks[0].bandMaskedFraction[static_cast<size_t>(farBand)].has_value());
  CHECK_FALSE(apart.tracks[1].bandMaskedFraction[static_cast<size_t>(farBand)].has_value());

  // Two equal tones 1% apart, at the centre of one band: each covers the other.
  const double centreHz = apart.bands[24].centreHz();
  const MaskingResult together =
      analyse({"a", "b"}, {tone(centreHz / 1.005, 0.1, 4.0), tone(centreHz * 1.005, 0.1, 4.0)});
  for (int t = 0; t < 2; ++t) {
    const TrackMasking& track = together.tracks[static_cast<size_t>(t)];
    CHECK(track.overall.maskedFraction == 1.0);
    CHECK(*track.bandMaskedFraction[24] == 1.0);
    REQUIRE(track.overall.maskers.size() == 1);
    CHECK(track.overall.maskers[0].track == 1 - t);
    CHECK(track.overall.maskers[0].share == 1.0);
  }
  // 10 dB apart: the louder tone is clear, the quieter one is covered by a ratio of 10 dB.
  const MaskingResult unequal =
      analyse({"loud", "quiet"}, {tone(centreHz / 1.005, 0.1, 4.0), tone(centreHz * 1.005, 0.1 / std::sqrt(10.0), 4.0)});
  CHECK(unequal.tracks[0].overall.maskedFraction == 0.0);
  CHECK(unequal.tracks[1].overall.maskedFraction == 1.0);
  REQUIRE(unequal.tracks[1].overall.medianMsrDb.has_value());
  CHECK(*unequal.tracks[1].overall.medianMsrDb == doctest::Approx(10.0).epsilon(0.05));
}

TEST_CASE("masking: a kick is masked in the low regions while the bass plays, and not between the notes") {
  const KickAndBass stems = kickAndBass();
  const MaskingResult result = analyse({"kick", "bass"}, {stems.kick, stems.bass});
  const TrackMasking& kick = result.tracks[0];
  const double noteS = 4.0;
  CHECK(kick.overall.audibleS > 7.5);
  // Masked during the notes (more than half of them), never outside them (one frame of slack at each edge).
  const double maskedS = kick.overall.maskedFraction * kick.overall.audibleS;
  CHECK(maskedS > 0.5 * noteS);
  CHECK(maskedS <= noteS + 4 * result.frameS);
  const auto withinNotes = [&](const MaskedRange& range) {
    for (const auto& [startS, endS] : stems.notesS)
      if (range.startS >= startS - result.frameS && range.endS <= endS + result.frameS) return true;
    return false;
  };
  for (const MaskedRange& range : kick.overall.worstRanges) CHECK(withinNotes(range));
  for (const char* region : {"sub", "low"}) {
    const MaskingFigures& figures = kick.regions[regionIndex(region)];
    CHECK(figures.maskedFraction * figures.audibleS > 0.5 * noteS);
    CHECK(figures.maskedFraction * figures.audibleS <= noteS + 4 * result.frameS);
    REQUIRE_FALSE(figures.worstRanges.empty());
    for (const MaskedRange& range : figures.worstRanges) CHECK(withinNotes(range));
    REQUIRE(figures.maskers.size() == 1);
    CHECK(figures.maskers[0].track == 1);
  }
  // Nothing of the kick is audible above the low-mids.
  CHECK(kick.regions[regionIndex("presence")].audibleS == 0.0);
}

TEST_CASE("masking: a track alone, or beside silence, is never masked") {
  std::mt19937 generator(7);
  std::uniform_real_distribution<float> noise(-0.5f, 0.5f);
  Signal pinkish(static_cast<size_t>(3 * kRateHz));
  for (float& sample : pinkish) sample = noise(generator);
  for (const MaskingResult& result :
       {analyse({"noise"}, {pinkish}), analyse({"noise", "silent"}, {pinkish, Signal(pinkish.size(), 0.0f)})}) {
    const TrackMasking& track = result.tracks[0];
    CHECK(track.overall.audibleS > 2.5);
    CHECK(track.overall.maskedFraction == 0.0);
    CHECK(track.overall.maskers.empty());
    CHECK_FALSE(track.overall.medianMsrDb.has_value());
  }
}

TEST_CASE("masking: the maskers' shares sum to 1, largest first") {
  KickAndBass stems = kickAndBass();
  const MaskingResult result =
      analyse({"kick", "bass", "pad"}, {stems.kick, stems.bass, tone(70.0, 0.2, 8.0)});
  for (const TrackMasking& track : result.tracks) {
    const auto check = [](const MaskingFigures& figures) {
      if (figures.maskedFraction == 0.0) return;
      double total = 0.0;
      for (size_t i = 0; i < figures.maskers.size(); ++i) {
        total += figures.maskers[i].share;
        if (i > 0) CHECK(figures.maskers[i].share <= figures.maskers[i - 1].share);
      }
      CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
    };
    check(track.overall);
    for (const MaskingFigures& region : track.regions) check(region);
  }
  // The kick has two maskers; while the bass rests, the pad alone covers it.
  REQUIRE(result.tracks[0].overall.maskers.size() == 2);
}

TEST_CASE("masking: the figures do not depend on the block sizes") {
  const KickAndBass stems = kickAndBass();
  const std::vector<std::string> names{"kick", "bass", "pad"};
  const std::vector<Signal> signals{stems.kick, stems.bass, tone(70.0, 0.2, 8.0)};
  const MaskingResult reference = analyse(names, signals, [] { return 4096; });
  std::mt19937 generator(3);
  std::uniform_int_distribution<int> size(1, 3000);
  for (const std::function<int()>& blockFrames :
       std::vector<std::function<int()>>{[] { return 1; }, [] { return 64; }, [] { return 1000; },
                                         [&] { return size(generator); }}) {
    const MaskingResult result = analyse(names, signals, blockFrames);
    for (size_t t = 0; t < names.size(); ++t) {
      const TrackMasking& a = reference.tracks[t];
      const TrackMasking& b = result.tracks[t];
      CHECK(a.overall.maskedFraction == b.overall.maskedFraction);
      CHECK(a.overall.audibleS == b.overall.audibleS);
      CHECK(a.overall.medianMsrDb == b.overall.medianMsrDb);
      REQUIRE(a.overall.maskers.size() == b.overall.maskers.size());
      for (size_t i = 0; i < a.overall.maskers.size(); ++i) {
        CHECK(a.overall.maskers[i].track == b.overall.maskers[i].track);
        CHECK(a.overall.maskers[i].share == b.overall.maskers[i].share);
      }
      REQUIRE(a.overall.worstRanges.size() == b.overall.worstRanges.size());
      for (size_t i = 0; i < a.overall.worstRanges.size(); ++i) CHECK(a.overall.worstRanges[i].startS == b.overall.worstRanges[i].startS);
      CHECK(a.bandMaskedFraction == b.bandMaskedFraction);
    }
  }
}

}  // namespace mixdown::analysis
