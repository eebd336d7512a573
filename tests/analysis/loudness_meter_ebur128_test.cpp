// The loudness meter against libebur128, the independent measurement: on
// noise whose level moves over 50 dB with silent gaps, at several rates
// (including 11025 Hz, where 100 ms is not a whole number of 10 ms steps) and
// channel counts (1 to 8, with BS.1770-4's channel weights and the excluded
// LFE), integrated loudness, loudness range, the stereo fold-down and the
// momentary and short-term readings after every 10 ms agree within 1e-6 LU;
// so does the integrated-only meter the loudness normaliser uses.
// Both define every figure the same way; they differ in rounding only, and in
// how the filters' decay into silence ends, 400 dB below any gate.

#include <doctest/doctest.h>
#include <ebur128.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "analysis/feed_signal.h"
#include "mixdown/analysis/loudness_meter.h"

using namespace mixdown;
using namespace mixdown::analysis;
using mixdown::test::hashNoise;

namespace {

constexpr double kAgreementLu = 1e-6;

struct Ebur128Deleter {
  void operator()(ebur128_state* state) const noexcept { ebur128_destroy(&state); }
};
using Ebur128 = std::unique_ptr<ebur128_state, Ebur128Deleter>;

/** Noise whose level steps every 1.3 s through 0, -36, -12, -48 and -24 dB, silent for one step in six. */
float movingNoise(std::int64_t frame, int channel, int rateHz) {
  const std::int64_t step = frame * 10 / (13 * rateHz);
  if (step % 6 == 5) return 0.0f;
  const double levelDb = -12.0 * static_cast<double>((step * 3) % 5);
  return static_cast<float>(0.7 * std::pow(10.0, levelDb / 20.0) * hashNoise(5, frame, channel));
}

// Below this a reading is the K-weighting's decay into silence, which ends differently: our filter
// flushes states under 1e-30 (-600 dB, dsp/biquad_lanes.h), libebur128's runs on into subnormals.
constexpr double kDecayFloorLufs = -200.0;

void checkAgree(const char* what, std::optional<double> ours, double theirs) {
  INFO(what << ": ours " << (ours ? *ours : NAN) << ", libebur128 " << theirs);
  if (!(theirs > kDecayFloorLufs)) {
    CHECK((!ours || *ours < kDecayFloorLufs));
    return;
  }
  REQUIRE(ours.has_value());
  CHECK(std::abs(*ours - theirs) <= kAgreementLu);
}

}  // namespace

TEST_CASE("analysis: the loudness meter reads what libebur128 reads") {
  struct Case {
    int rateHz;
    int channels;
    double seconds;
  };
  for (const Case& c : {Case{48000, 2, 14.0}, Case{44100, 1, 9.5}, Case{11025, 2, 8.0}, Case{96000, 6, 6.5},
                        Case{22050, 5, 7.0}, Case{48000, 8, 5.0}, Case{48000, 3, 4.0}, Case{32000, 4, 4.5}}) {
    INFO(c.channels << " channels at " << c.rateHz << " Hz, " << c.seconds << " s");
    LoudnessMeter meter(c.channels, c.rateHz);
    LoudnessMeter integratedOnly(c.channels, c.rateHz, LoudnessMeter::Figures::IntegratedOnly);
    Ebur128 reference(ebur128_init(static_cast<unsigned>(c.channels), static_cast<unsigned long>(c.rateHz),
                                   EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_M | EBUR128_MODE_S));
    Ebur128 foldDown(ebur128_init(1, static_cast<unsigned long>(c.rateHz), EBUR128_MODE_I));
    REQUIRE(reference);
    REQUIRE(foldDown);
    ebur128_set_channel(foldDown.get(), 0, EBUR128_DUAL_MONO);

    const int stepFrames = c.rateHz / LoudnessMeter::kStepsPerSecond;
    const auto totalFrames = static_cast<std::int64_t>(c.seconds * c.rateHz);
    AudioBuffer buffer(c.channels, stepFrames);
    std::vector<float> interleaved(static_cast<size_t>(stepFrames * c.channels));
    std::vector<float> folded(static_cast<size_t>(stepFrames));
    int momentaryChecks = 0, shortTermChecks = 0;
    // Blocks of one step, split unevenly in two for our meter (its result must not depend on the split).
    for (std::int64_t start = 0; start + stepFrames <= totalFrames; start += stepFrames) {
      const AudioBlock block = buffer.block(stepFrames);
      for (int frame = 0; frame < stepFrames; ++frame) {
        for (int channel = 0; channel < c.channels; ++channel) {
          const float sample = movingNoise(start + frame, channel, c.rateHz);
          block.channel(channel)[frame] = sample;
          interleaved[static_cast<size_t>(frame * c.channels + channel)] = sample;
        }
        if (c.channels == 2) folded[static_cast<size_t>(frame)] = 0.5f * (block.channel(0)[frame] + block.channel(1)[frame]);
      }
      const int split = static_cast<int>((start / stepFrames * 37) % stepFrames);
      meter.add(ConstAudioBlock(block).slice(0, split));
      meter.add(ConstAudioBlock(block).slice(split, stepFrames - split));
      integratedOnly.add(block);
      REQUIRE(ebur128_add_frames_float(reference.get(), interleaved.data(), static_cast<size_t>(stepFrames)) ==
              EBUR128_SUCCESS);
      if (c.channels == 2)
        REQUIRE(ebur128_add_frames_float(foldDown.get(), folded.data(), static_cast<size_t>(stepFrames)) == EBUR128_SUCCESS);

      // libebur128's momentary and short-term windows end at the last frame, as ours do after a whole step;
      // they are whole 100 ms multiples, so they equal ours where a step is exactly 10 ms.
      if (c.rateHz % LoudnessMeter::kStepsPerSecond != 0) continue;
      const std::int64_t fed = start + stepFrames;
      double theirs = 0.0;
      if (fed >= static_cast<std::int64_t>(LoudnessMeter::kMomentarySteps) * stepFrames) {
        REQUIRE(ebur128_loudness_momentary(reference.get(), &theirs) == EBUR128_SUCCESS);
        checkAgree("momentary", meter.momentaryLufs(), theirs);
        ++momentaryChecks;
      }
      if (fed >= static_cast<std::int64_t>(LoudnessMeter::kShortTermSteps) * stepFrames && fed % (7 * stepFrames) == 0) {
        REQUIRE(ebur128_loudness_shortterm(reference.get(), &theirs) == EBUR128_SUCCESS);
        checkAgree("short-term", meter.shortTermLufs(), theirs);
        ++shortTermChecks;
      }
    }
    const LoudnessMeasurement measured = meter.result();
    double integrated = 0.0, range = 0.0;
    REQUIRE(ebur128_loudness_global(reference.get(), &integrated) == EBUR128_SUCCESS);
    REQUIRE(ebur128_loudness_range(reference.get(), &range) == EBUR128_SUCCESS);
    checkAgree("integrated", measured.integratedLufs, integrated);
    checkAgree("integrated, integrated-only meter", integratedOnly.result().integratedLufs, integrated);
    checkAgree("loudness range", measured.loudnessRangeLu, range);
    CHECK(*measured.loudnessRangeLu > 5.0);  // the level moves: the gates and percentiles have work to do
    if (c.channels == 2) {
      double folding = 0.0;
      REQUIRE(ebur128_loudness_global(foldDown.get(), &folding) == EBUR128_SUCCESS);
      checkAgree("fold-down", measured.monoFoldDownLufs, folding);
    } else {
      CHECK_FALSE(measured.monoFoldDownLufs.has_value());
    }
    if (c.rateHz % LoudnessMeter::kStepsPerSecond == 0) {
      CHECK(momentaryChecks > 100);
      CHECK(shortTermChecks > 5);
    }
  }
}
