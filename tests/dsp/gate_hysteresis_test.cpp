// The gate's hysteresis_db: on a level hovering around the threshold, the gate
// opens and closes exactly as often as a Schmitt trigger counted here says.

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "mixdown/dsp/gate.h"
#include "support/processor_harness.h"
#include "support/test_signals.h"

using namespace mixdown;
using namespace mixdown::dsp;
using namespace mixdown::test;

namespace {

constexpr double kThresholdDb = -30.0;
constexpr double kRangeDb = -80.0;

/**
 * A positive DC whose level (dB) is redrawn every 10 ms: a slow swing from 5.5 dB
 * below to 2.5 dB above the threshold (a sine of 37 segments) plus a jitter uniform
 * in +-1.5 dB, so near each crossing the level hovers. A peak detector reads each
 * segment's level exactly, and each level keeps 0.01 dB away from both switching
 * levels.
 */
std::vector<double> hoveringLevelsDb(std::size_t segments, double hysteresisDb, unsigned seed) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<double> jitter(-1.5, 1.5);
  std::vector<double> levels;
  while (levels.size() < segments) {
    const double swing = 2.5 * std::sin(2.0 * std::numbers::pi * static_cast<double>(levels.size()) / 37.0);
    const double level = kThresholdDb - 1.5 + swing + jitter(generator);
    if (std::abs(level - kThresholdDb) < 0.01 || std::abs(level - (kThresholdDb - hysteresisDb)) < 0.01) continue;
    levels.push_back(level);
  }
  return levels;
}

/** Opens and closes of a Schmitt trigger (open at >= threshold, closed below threshold - hysteresis), closed at first. */
int schmittTransitions(const std::vector<double>& levelsDb, double hysteresisDb) {
  bool open = false;
  int transitions = 0;
  for (const double level : levelsDb) {
    const bool next = level >= kThresholdDb || (open && level >= kThresholdDb - hysteresisDb);
    transitions += next != open ? 1 : 0;
    open = next;
  }
  return transitions;
}

/** Changes of the gate's state between frames, the state being open while out / in is above half the range (dB). */
int measuredTransitions(const std::vector<float>& in, const std::vector<float>& out) {
  bool open = false;
  int transitions = 0;
  for (std::size_t n = 0; n < in.size(); ++n) {
    const bool next = amplitudeToDb(static_cast<double>(out[n]) / in[n]) > kRangeDb / 2.0;
    transitions += next != open ? 1 : 0;
    open = next;
  }
  return transitions;
}

}  // namespace

TEST_CASE("dsp: gate hysteresis opens and closes it as often as a Schmitt trigger on the level") {
  constexpr std::size_t kSegments = 400;
  for (const double sampleRate : {44100.0, 48000.0, 96000.0}) {
    const auto segmentFrames = static_cast<std::size_t>(sampleRate / 100.0);
    for (const double hysteresisDb : {0.0, 2.0, 4.0, 6.0}) {
      const std::vector<double> levels = hoveringLevelsDb(kSegments, hysteresisDb, 5 + static_cast<unsigned>(hysteresisDb));
      std::vector<float> input;
      for (const double level : levels) input.insert(input.end(), segmentFrames, static_cast<float>(dbToAmplitude(level)));
      GateProcessor::Params params;
      params.thresholdDb = kThresholdDb, params.rangeDb = kRangeDb, params.ratio = 0.0;
      // Fast ballistics and no hold: each switch is over (past half the range) within
      // 0.7 ms, well inside a 10 ms segment, so every state the gate takes shows.
      params.attackMs = 0.01, params.holdMs = 0.0, params.releaseMs = 1.0;
      params.hysteresisDb = hysteresisDb;
      GateProcessor gate(params);
      const Channels output = processChannels(gate, sampleRate, {input}, {}, 3);
      const int expected = schmittTransitions(levels, hysteresisDb);
      CAPTURE(sampleRate);
      CAPTURE(hysteresisDb);
      CHECK(measuredTransitions(input, output[0]) == expected);
      MESSAGE("fs " << sampleRate << ", hysteresis " << hysteresisDb << " dB: " << expected << " opens and closes, "
                    << schmittTransitions(levels, 0.0) << " without hysteresis");
      if (hysteresisDb == 0.0) {
        CHECK(expected > 60);  // the hovering level really crosses the threshold often
      } else {
        // At most one open and one close per swing (400 / 37 swings): the jitter no longer counts.
        CHECK(expected <= 2 * 11 + 2);
      }
    }
  }
}
