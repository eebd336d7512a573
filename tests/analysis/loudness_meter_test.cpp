// The loudness meter against the EBU test signals that are defined by tones,
// synthesised here: EBU Tech 3341 (2016) cases 1-6 and 9-14 (integrated,
// momentary and short-term loudness, +-0.1 LU) and 15-19 (true peak, +0.2 /
// -0.4 dB), EBU Tech 3342 (2016) cases 1-4 (loudness range, +-1 LU). Levels are
// peak levels of 1 kHz sines; a stereo sine at X dBFS in both channels reads X
// LUFS (the K-weighting's gain at 1 kHz cancels BS.1770's -0.691 dB).

#include "mixdown/analysis/loudness_meter.h"

#include <doctest/doctest.h>
#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "analysis/feed_signal.h"
#include "mixdown/dsp/true_peak.h"

using namespace mixdown;
using namespace mixdown::analysis;
using mixdown::test::feedSignal;
using mixdown::test::feedTones;
using mixdown::test::kSilenceDbfs;
using mixdown::test::stereoTone;
using mixdown::test::ToneSegment;

namespace {

constexpr int kRate = 48000;
constexpr double kLoudnessToleranceLu = 0.1;  // Tech 3341: M, S and I within +-0.1 LU
constexpr double kRangeToleranceLu = 1.0;     // Tech 3342: LRA within +-1 LU

LoudnessMeasurement measureTones(const std::vector<ToneSegment>& segments, int channels = 2) {
  LoudnessMeter meter(channels, kRate);
  feedTones(meter, kRate, segments);
  return meter.result();
}

/** Checks value is present and within tolerance of expected, printing both. */
void checkNear(const char* what, const std::optional<double>& value, double expected, double tolerance) {
  INFO(what << ": measured " << (value ? std::to_string(*value) : "null") << ", expected " << expected << " +- "
            << tolerance);
  REQUIRE(value.has_value());
  CHECK(std::abs(*value - expected) <= tolerance);
}

/** The largest short-term (or momentary) reading of a meter fed segments, read after every 10 ms. */
double maxReading(const std::vector<ToneSegment>& segments, bool shortTerm) {
  LoudnessMeter meter(2, kRate);
  double largest = -HUGE_VAL;
  feedTones(meter, kRate, segments, kRate / LoudnessMeter::kStepsPerSecond, [&] {
    const auto reading = shortTerm ? meter.shortTermLufs() : meter.momentaryLufs();
    if (reading) largest = std::max(largest, *reading);
  });
  CHECK(
      largest ==
      doctest::Approx(*(shortTerm ? meter.result().maxShortTermLufs : meter.result().maxMomentaryLufs)).epsilon(1e-12));
  return largest;
}

}  // namespace

TEST_CASE("loudness: Tech 3341 cases 1 and 2, steady stereo sines read their level in M, S and I") {
  // Case 1: 1 kHz at -23 dBFS in both channels, 20 s: M = S = I = -23.0 LUFS. Case 2: the same at -33 dBFS.
  for (const double levelDbfs : {-23.0, -33.0}) {
    CAPTURE(levelDbfs);
    const LoudnessMeasurement measured = measureTones({stereoTone(levelDbfs, 20.0)});
    checkNear("integrated", measured.integratedLufs, levelDbfs, kLoudnessToleranceLu);
    checkNear("max momentary", measured.maxMomentaryLufs, levelDbfs, kLoudnessToleranceLu);
    checkNear("max short-term", measured.maxShortTermLufs, levelDbfs, kLoudnessToleranceLu);
    // A steady tone has no loudness range (Tech 3342: LRA of a constant signal is 0).
    checkNear("loudness range", measured.loudnessRangeLu, 0.0, kRangeToleranceLu);
  }
}

TEST_CASE("loudness: Tech 3341 case 3, the relative gate drops the quiet parts") {
  // -36 / -23 / -36 dBFS for 10 / 60 / 10 s: the -36 blocks are below the relative gate (-10 LU): I = -23.0.
  checkNear("integrated", measureTones({stereoTone(-36, 10), stereoTone(-23, 60), stereoTone(-36, 10)}).integratedLufs,
            -23.0, kLoudnessToleranceLu);
}

TEST_CASE("loudness: Tech 3341 case 4, the absolute gate drops what is below -70 LUFS") {
  // -72 / -36 / -23 / -36 / -72 dBFS for 10 / 10 / 60 / 10 / 10 s: I = -23.0.
  checkNear("integrated",
            measureTones({stereoTone(-72, 10), stereoTone(-36, 10), stereoTone(-23, 60), stereoTone(-36, 10),
                          stereoTone(-72, 10)})
                .integratedLufs,
            -23.0, kLoudnessToleranceLu);
}

TEST_CASE("loudness: Tech 3341 case 5, blocks above the relative gate all count") {
  // -26 / -20 / -26 dBFS for 20 / 20.1 / 20 s: I = -23.0.
  checkNear("integrated",
            measureTones({stereoTone(-26, 20), stereoTone(-20, 20.1), stereoTone(-26, 20)}).integratedLufs, -23.0,
            kLoudnessToleranceLu);
}

TEST_CASE("loudness: Tech 3341 case 6, five channels weigh L R C 1.0 and Ls Rs 1.41") {
  // L R C Ls Rs at -28 / -28 / -24 / -30 / -30 dBFS for 20 s read -23.0 LUFS.
  const LoudnessMeasurement measured = measureTones({ToneSegment{{-28, -28, -24, -30, -30}, 20.0}}, 5);
  checkNear("integrated", measured.integratedLufs, -23.0, kLoudnessToleranceLu);
  CHECK_FALSE(measured.monoFoldDownLufs.has_value());
  // Six channels: L R C LFE Ls Rs, the LFE left out (a loud LFE changes nothing).
  const LoudnessMeasurement withLfe = measureTones({ToneSegment{{-28, -28, -24, 0, -30, -30}, 20.0}}, 6);
  checkNear("integrated with LFE", withLfe.integratedLufs, -23.0, kLoudnessToleranceLu);
}

TEST_CASE("loudness: Tech 3341 case 9, short-term loudness of a 3 s periodic signal is constant after 3 s") {
  // -20 dBFS for 1.34 s then -30 dBFS for 1.66 s, five times: every 3 s window holds one period,
  // 10 log10((1.34 * 10^-2 + 1.66 * 10^-3) / 3) = -22.99 LUFS; Tech 3341 expects -23.0 +- 0.1 from 3 s on.
  std::vector<ToneSegment> segments;
  for (int period = 0; period < 5; ++period) {
    segments.push_back(stereoTone(-20, 1.34));
    segments.push_back(stereoTone(-30, 1.66));
  }
  LoudnessMeter meter(2, kRate);
  int readings = 0;
  double lowest = HUGE_VAL, highest = -HUGE_VAL;
  feedTones(meter, kRate, segments, kRate / 10, [&] {
    if (meter.frames() < 3 * kRate) {
      CHECK_FALSE(meter.shortTermLufs().has_value());
      return;
    }
    const auto reading = meter.shortTermLufs();
    REQUIRE(reading.has_value());
    lowest = std::min(lowest, *reading);
    highest = std::max(highest, *reading);
    ++readings;
  });
  INFO("short-term from 3 s on: " << lowest << " .. " << highest << " LUFS over " << readings << " readings");
  CHECK(readings >= 120);  // at least every 100 ms from 3.0 s to 15.0 s
  CHECK(std::abs(lowest + 23.0) <= kLoudnessToleranceLu);
  CHECK(std::abs(highest + 23.0) <= kLoudnessToleranceLu);
}

TEST_CASE("loudness: Tech 3341 case 10, max short-term catches a 3 s burst wherever it starts") {
  // A 3 s burst at -23 dBFS after 1 s of silence plus an offset that puts it off the 10 ms grid
  // (up to half a step, the worst case), then 1 s of silence: max S = -23.0 +- 0.1.
  for (const double offsetS : {0.0, 0.0025, 0.005, 0.0073, 0.0099}) {
    CAPTURE(offsetS);
    const LoudnessMeasurement measured =
        measureTones({stereoTone(kSilenceDbfs, 1.0 + offsetS), stereoTone(-23, 3.0), stereoTone(kSilenceDbfs, 1.0)});
    checkNear("max short-term", measured.maxShortTermLufs, -23.0, kLoudnessToleranceLu);
  }
}

TEST_CASE("loudness: Tech 3341 case 11, max short-term of 3 s bursts follows their level") {
  // 3 s bursts, each with 1 s of silence before and after, at levels from -38 to -19 dBFS
  // (a subset of the case's twenty): max S equals the level +- 0.1.
  for (const double levelDbfs : {-38.0, -30.0, -23.0, -19.0}) {
    CAPTURE(levelDbfs);
    const double largest =
        maxReading({stereoTone(kSilenceDbfs, 1.0037), stereoTone(levelDbfs, 3.0), stereoTone(kSilenceDbfs, 1.0)}, true);
    CHECK(std::abs(largest - levelDbfs) <= kLoudnessToleranceLu);
  }
}

TEST_CASE("loudness: Tech 3341 case 12, momentary loudness of a 400 ms periodic signal is constant after 1 s") {
  // -20 dBFS for 0.18 s then -30 dBFS for 0.22 s, repeated: every 400 ms window holds one period,
  // M = 10 log10((0.18 * 10^-2 + 0.22 * 10^-3) / 0.4) = -22.97 LUFS (-23.0 +- 0.1) from 1 s on.
  const double expected = 10.0 * std::log10((0.18 * 1e-2 + 0.22 * 1e-3) / 0.4);
  std::vector<ToneSegment> segments;
  for (int period = 0; period < 10; ++period) {
    segments.push_back(stereoTone(-20, 0.18));
    segments.push_back(stereoTone(-30, 0.22));
  }
  LoudnessMeter meter(2, kRate);
  double lowest = HUGE_VAL, highest = -HUGE_VAL;
  feedTones(meter, kRate, segments, kRate / LoudnessMeter::kStepsPerSecond, [&] {
    if (meter.frames() < kRate) return;
    const auto reading = meter.momentaryLufs();
    REQUIRE(reading.has_value());
    lowest = std::min(lowest, *reading);
    highest = std::max(highest, *reading);
  });
  INFO("momentary from 1 s on: " << lowest << " .. " << highest << " LUFS, expected " << expected);
  CHECK(std::abs(lowest + 23.0) <= kLoudnessToleranceLu);
  CHECK(std::abs(highest + 23.0) <= kLoudnessToleranceLu);
  CHECK(std::abs(lowest - expected) <= 0.05);
  CHECK(std::abs(highest - expected) <= 0.05);
}

TEST_CASE("loudness: Tech 3341 case 13, max momentary catches a 400 ms burst wherever it starts") {
  // A 400 ms burst at -23 dBFS (as short as a momentary window: the hardest case) after 1 s
  // of silence plus an offset off the 10 ms grid: max M = -23.0 +- 0.1.
  for (const double offsetS : {0.0, 0.0025, 0.005, 0.0073, 0.0099}) {
    CAPTURE(offsetS);
    const LoudnessMeasurement measured =
        measureTones({stereoTone(kSilenceDbfs, 1.0 + offsetS), stereoTone(-23, 0.4), stereoTone(kSilenceDbfs, 0.6)});
    checkNear("max momentary", measured.maxMomentaryLufs, -23.0, kLoudnessToleranceLu);
  }
}

TEST_CASE("loudness: Tech 3341 case 14, max momentary of 400 ms bursts follows their level") {
  for (const double levelDbfs : {-38.0, -30.0, -23.0, -19.0}) {
    CAPTURE(levelDbfs);
    const double largest =
        maxReading({stereoTone(kSilenceDbfs, 1.005), stereoTone(levelDbfs, 0.4), stereoTone(kSilenceDbfs, 0.6)}, false);
    CHECK(std::abs(largest - levelDbfs) <= kLoudnessToleranceLu);
  }
}

TEST_CASE("loudness: Tech 3341 cases 15 to 19, true peak of sines whose crests fall between samples") {
  // 48 kHz stereo, both channels A sin(2 pi n / P + phase), 1 s with 256-frame raised-cosine fades:
  // 15: P 4 (fs/4), 0 deg, A 0.5 -> -6.0 dBTP; 16: P 4, 45 deg -> -6.0; 17: P 6 (fs/6), 60 deg -> -6.0;
  // 18: P 8 (fs/8), 67.5 deg -> -6.0; 19: P 4, 45 deg, A 1.41 -> +3.0 dBTP (samples at 0 dBFS).
  // Each phase puts the crest half-way between two samples (cases 16-19). Tolerance +0.2 / -0.4 dB.
  struct Case {
    int number;
    double periodFrames, phaseDegrees, amplitude, expectedDbtp;
  };
  for (const Case item : {Case{15, 4, 0, 0.5, -6.0}, Case{16, 4, 45, 0.5, -6.0}, Case{17, 6, 60, 0.5, -6.0},
                          Case{18, 8, 67.5, 0.5, -6.0}, Case{19, 4, 45, 1.41, 3.0}}) {
    CAPTURE(item.number);
    constexpr int kFadeFrames = 256;
    constexpr int kFrames = kRate;
    LoudnessMeter meter(2, kRate);
    feedSignal(meter, 2, 0, kFrames, [&](std::int64_t frame, int) {
      const auto n = static_cast<double>(frame);
      const double edge = static_cast<double>(std::min<std::int64_t>(frame, kFrames - 1 - frame));
      const double fade = edge < kFadeFrames ? 0.5 - 0.5 * std::cos(std::numbers::pi * edge / kFadeFrames) : 1.0;
      return fade * item.amplitude *
             std::sin(2.0 * std::numbers::pi * n / item.periodFrames + item.phaseDegrees * std::numbers::pi / 180.0);
    });
    const auto truePeak = meter.result().truePeakDbtp;
    INFO("true peak " << (truePeak ? *truePeak : -HUGE_VAL) << " dBTP, expected " << item.expectedDbtp);
    REQUIRE(truePeak.has_value());
    CHECK(*truePeak <= item.expectedDbtp + 0.2);
    CHECK(*truePeak >= item.expectedDbtp - 0.4);
  }
}

// Tech 3342: 1 kHz stereo tone steps of 20 s each; LRA within +-1 LU.
TEST_CASE("loudness: Tech 3342 case 1, -20 then -30 dBFS reads 10 LU") {
  checkNear("LRA", measureTones({stereoTone(-20, 20), stereoTone(-30, 20)}).loudnessRangeLu, 10.0, kRangeToleranceLu);
}

TEST_CASE("loudness: Tech 3342 case 2, -20 then -15 dBFS reads 5 LU") {
  checkNear("LRA", measureTones({stereoTone(-20, 20), stereoTone(-15, 20)}).loudnessRangeLu, 5.0, kRangeToleranceLu);
}

TEST_CASE("loudness: Tech 3342 case 3, -40 then -20 dBFS reads 20 LU") {
  checkNear("LRA", measureTones({stereoTone(-40, 20), stereoTone(-20, 20)}).loudnessRangeLu, 20.0, kRangeToleranceLu);
}

TEST_CASE("loudness: Tech 3342 case 4, -50 -35 -20 -35 -50 dBFS reads 15 LU") {
  checkNear("LRA",
            measureTones({stereoTone(-50, 20), stereoTone(-35, 20), stereoTone(-20, 20), stereoTone(-35, 20),
                          stereoTone(-50, 20)})
                .loudnessRangeLu,
            15.0, kRangeToleranceLu);
}

TEST_CASE("loudness: a mono file is one channel of weight 1, a 0 dBFS 997 Hz sine reads -3.01 LUFS") {
  // BS.1770-4: mean square 1/2 -> 10 log10(1/2) = -3.01 dB; K-weighting at 997 Hz and -0.691 cancel
  // to within 0.01 dB. Not EBUR128_DUAL_MONO, which would read 0 LUFS.
  LoudnessMeter meter(1, kRate);
  feedSignal(meter, 1, 0, 10 * kRate, [](std::int64_t frame, int) {
    return std::sin(2.0 * std::numbers::pi * 997.0 * static_cast<double>(frame) / kRate);
  });
  const LoudnessMeasurement measured = meter.result();
  checkNear("integrated", measured.integratedLufs, -10.0 * std::log10(2.0), 0.02);
  CHECK_FALSE(measured.monoFoldDownLufs.has_value());
}

TEST_CASE(
    "loudness: mono fold-down equals the mix for identical channels, -3 LU for unrelated ones, null for opposite") {
  constexpr std::int64_t kFrames = 10 * kRate;
  const auto noise = [](std::uint64_t seed, std::int64_t frame) { return 0.5 * mixdown::test::hashNoise(seed, frame); };
  SUBCASE("identical channels") {
    LoudnessMeter meter(2, kRate);
    feedSignal(meter, 2, 0, kFrames, [&](std::int64_t frame, int) { return noise(1, frame); });
    const LoudnessMeasurement measured = meter.result();
    REQUIRE(measured.integratedLufs.has_value());
    checkNear("fold-down - mix", measured.monoFoldDownLufs, *measured.integratedLufs, 0.01);
  }
  SUBCASE("independent noise of equal level") {
    // (L + R) / 2 holds half the power of either channel; on two loudspeakers that is half the stereo power.
    LoudnessMeter meter(2, kRate);
    feedSignal(meter, 2, 0, kFrames, [&](std::int64_t frame, int channel) { return noise(2 + channel, frame); });
    const LoudnessMeasurement measured = meter.result();
    REQUIRE(measured.integratedLufs.has_value());
    checkNear("fold-down", measured.monoFoldDownLufs, *measured.integratedLufs - 10.0 * std::log10(2.0), 0.1);
  }
  SUBCASE("one channel the negative of the other") {
    LoudnessMeter meter(2, kRate);
    feedSignal(meter, 2, 0, kFrames,
               [&](std::int64_t frame, int channel) { return (channel == 0 ? 1 : -1) * noise(4, frame); });
    const LoudnessMeasurement measured = meter.result();
    CHECK(measured.integratedLufs.has_value());
    CHECK_FALSE(measured.monoFoldDownLufs.has_value());
  }
}

TEST_CASE("loudness: silence and too-short input read null, never -inf") {
  SUBCASE("5 s of digital silence") {
    const LoudnessMeasurement measured = measureTones({stereoTone(kSilenceDbfs, 5.0)});
    CHECK_FALSE(measured.integratedLufs.has_value());
    CHECK_FALSE(measured.loudnessRangeLu.has_value());
    CHECK_FALSE(measured.maxMomentaryLufs.has_value());
    CHECK_FALSE(measured.maxShortTermLufs.has_value());
    CHECK_FALSE(measured.truePeakDbtp.has_value());
    CHECK_FALSE(measured.monoFoldDownLufs.has_value());
  }
  SUBCASE("300 ms of tone: no 400 ms block") {
    const LoudnessMeasurement measured = measureTones({stereoTone(-20, 0.3)});
    CHECK_FALSE(measured.integratedLufs.has_value());
    CHECK_FALSE(measured.maxMomentaryLufs.has_value());
    CHECK_FALSE(measured.maxShortTermLufs.has_value());
    CHECK_FALSE(measured.loudnessRangeLu.has_value());
    REQUIRE(measured.truePeakDbtp.has_value());
    CHECK(std::abs(*measured.truePeakDbtp + 20.0) < 0.1);
  }
  SUBCASE("2 s of tone: integrated and momentary, no short-term window") {
    const LoudnessMeasurement measured = measureTones({stereoTone(-20, 2.0)});
    checkNear("integrated", measured.integratedLufs, -20.0, kLoudnessToleranceLu);
    checkNear("max momentary", measured.maxMomentaryLufs, -20.0, kLoudnessToleranceLu);
    CHECK_FALSE(measured.maxShortTermLufs.has_value());
    CHECK_FALSE(measured.loudnessRangeLu.has_value());
  }
  SUBCASE("a tone below the absolute gate") {
    const LoudnessMeasurement measured = measureTones({stereoTone(-80, 5.0)});
    CHECK_FALSE(measured.integratedLufs.has_value());
    CHECK_FALSE(measured.loudnessRangeLu.has_value());
    checkNear("max short-term (ungated)", measured.maxShortTermLufs, -80.0, kLoudnessToleranceLu);
  }
}

TEST_CASE("loudness: momentary and short-term readings equal libebur128's own windows") {
  // The 10 ms steps compose exactly libebur128's 400 ms and 3 s windows at 48 and 44.1 kHz.
  for (const int rate : {48000, 44100}) {
    CAPTURE(rate);
    LoudnessMeter meter(2, rate);
    ebur128_state* reference = ebur128_init(2, static_cast<unsigned long>(rate), EBUR128_MODE_S);
    REQUIRE(reference != nullptr);
    const auto sample = [rate](std::int64_t frame, int channel) {
      const double envelope = 0.5 + 0.5 * std::sin(2.0 * std::numbers::pi * static_cast<double>(frame) / rate);
      return static_cast<float>(0.3 * envelope * mixdown::test::hashNoise(7, frame, channel));
    };
    const int stepFrames = rate / LoudnessMeter::kStepsPerSecond;
    std::vector<float> interleaved(static_cast<std::size_t>(2 * stepFrames));
    int compared = 0;
    feedSignal(meter, 2, 0, 5 * rate, stepFrames, sample, [&] {
      for (int frame = 0; frame < stepFrames; ++frame)
        for (int channel = 0; channel < 2; ++channel)
          interleaved[static_cast<std::size_t>(2 * frame + channel)] =
              sample(meter.frames() - stepFrames + frame, channel);
      ebur128_add_frames_float(reference, interleaved.data(), static_cast<std::size_t>(stepFrames));
      double momentary = 0.0, shortTerm = 0.0;
      ebur128_loudness_momentary(reference, &momentary);
      ebur128_loudness_shortterm(reference, &shortTerm);
      if (const auto mine = meter.momentaryLufs()) {
        CHECK(*mine == doctest::Approx(momentary).epsilon(1e-9));
        ++compared;
      }
      if (const auto mine = meter.shortTermLufs()) {
        CHECK(*mine == doctest::Approx(shortTerm).epsilon(1e-9));
        ++compared;
      }
    });
    ebur128_destroy(&reference);
    CHECK(compared == 2 * 500 - 39 - 299);
  }
}

TEST_CASE("loudness: the result does not depend on how the input is split into blocks") {
  for (const int rate : {44100, 48000, 96000}) {
    CAPTURE(rate);
    const auto sample = [rate](std::int64_t frame, int channel) {
      const auto n = static_cast<double>(frame);
      const double burst = std::fmod(n / rate, 1.3) < 0.5 ? 1.0 : 0.1;
      return burst * 0.7 * std::sin(2.0 * std::numbers::pi * (channel == 0 ? 441.0 : 1733.0) * n / rate + channel);
    };
    LoudnessMeter whole(2, rate);
    feedSignal(whole, 2, 0, 4 * rate, 4 * rate, sample, [] {});
    LoudnessMeter split(2, rate);
    std::mt19937 random(static_cast<unsigned>(rate));
    std::uniform_int_distribution<int> size(1, 3000);
    for (std::int64_t first = 0; first < 4 * rate;) {
      const std::int64_t frames = std::min<std::int64_t>(size(random), 4 * rate - first);
      feedSignal(split, 2, first, frames, static_cast<int>(frames), sample, [] {});
      first += frames;
    }
    const LoudnessMeasurement a = whole.result(), b = split.result();
    REQUIRE(a.integratedLufs.has_value());
    REQUIRE(a.maxShortTermLufs.has_value());
    CHECK(a.integratedLufs == b.integratedLufs);
    CHECK(a.loudnessRangeLu == b.loudnessRangeLu);
    CHECK(a.maxMomentaryLufs == b.maxMomentaryLufs);
    CHECK(a.maxShortTermLufs == b.maxShortTermLufs);
    CHECK(a.truePeakDbtp == b.truePeakDbtp);
    CHECK(a.monoFoldDownLufs == b.monoFoldDownLufs);
  }
}

TEST_CASE("loudness: channel counts and rates outside libebur128's range are refused") {
  CHECK_THROWS_AS(LoudnessMeter(0, 48000), std::invalid_argument);
  CHECK_THROWS_AS(LoudnessMeter(65, 48000), std::invalid_argument);
  CHECK_THROWS_AS(LoudnessMeter(2, 50), std::invalid_argument);
}

TEST_CASE("loudness: the true peak is the largest report of the interpolating meter run over every sample") {
  // First a slow sine of 0.8 (its samples reach its true peak), then a quarter-rate sine of 1.0 at
  // 45 degrees whose samples stay at 0.707 while it peaks at 1.0 between them: only the interpolation,
  // run where the samples are below the largest peak so far, finds the later, larger true peak.
  constexpr int kRate = 48000;
  constexpr std::int64_t kFrames = 3 * kRate;
  const auto sample = [](std::int64_t frame, int channel) {
    const double n = static_cast<double>(frame);
    if (frame < 2 * kRate) return 0.8 * std::sin(2.0 * std::numbers::pi * 100.0 * n / kRate + channel);
    return std::sin(std::numbers::pi / 2.0 * n + std::numbers::pi / 4.0);
  };
  LoudnessMeter meter(2, kRate);
  feedSignal(meter, 2, 0, kFrames, 1000, sample, [] {});
  float expected = 0.0f;
  for (int channel = 0; channel < 2; ++channel) {
    // The same filter as the loudness meter's: 4 x oversampling, 12 taps per phase, Hann window.
    dsp::TruePeakMeter reference(4, 12, dsp::TruePeakWindow::Hann);
    std::vector<float> input(static_cast<std::size_t>(kFrames + reference.latencyFrames()), 0.0f);
    for (std::int64_t frame = 0; frame < kFrames; ++frame) input[static_cast<std::size_t>(frame)] = static_cast<float>(sample(frame, channel));
    std::vector<float> peaks(input.size());
    reference.process(input.data(), peaks.data(), static_cast<int>(input.size()));
    expected = std::max(expected, *std::max_element(peaks.begin(), peaks.end()));
  }
  const auto measured = meter.result().truePeakDbtp;
  REQUIRE(measured.has_value());
  CHECK(*measured == 20.0 * std::log10(static_cast<double>(expected)));
  CHECK(*measured > -0.5);  // the later sine's true peak, not the 0.8 (-1.9 dB) of the first
}
