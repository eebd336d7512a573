// Automation curves against their definitions: point frames rounded to the
// nearest frame (ties to even), linear, step and half-cosine segments, and
// jumps turned into 10 ms linear ramps.

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "mixdown/dsp/parameter_curve.h"

using namespace mixdown::dsp;

namespace {

constexpr double kRate = 48000.0;
constexpr std::int64_t kRampFrames = 480;  // 10 ms at 48 kHz

}  // namespace

TEST_CASE("dsp: a parameter curve holds its first value before the first point and its last after the last") {
  const ParameterCurve curve({{1.0, -12.0}, {2.0, 6.0}}, CurveShape::Linear, kRate);
  CHECK(curve.valueAt(-100) == -12.0);
  CHECK(curve.valueAt(0) == -12.0);
  CHECK(curve.valueAt(48000) == -12.0);
  CHECK(curve.valueAt(96000) == 6.0);
  CHECK(curve.valueAt(10'000'000) == 6.0);
  CHECK(ParameterCurve(-3.5).valueAt(123) == -3.5);
  CHECK(ParameterCurve(-3.5).isConstant());
}

TEST_CASE("dsp: a linear parameter curve interpolates between point frames in the parameter's unit") {
  const ParameterCurve curve({{0.0, -40.0}, {2.0, 0.0}, {3.0, -10.0}}, CurveShape::Linear, kRate);
  for (std::int64_t frame = 0; frame <= 96000; frame += 997)
    CHECK(curve.valueAt(frame) == doctest::Approx(-40.0 + 40.0 * static_cast<double>(frame) / 96000.0).epsilon(1e-12));
  CHECK(curve.valueAt(96000 + 24000) == doctest::Approx(-5.0).epsilon(1e-12));
}

TEST_CASE("dsp: parameter curve points land on the nearest frame, ties to even") {
  // At 2 frames per second, 0.75 s and 1.25 s are exactly 1.5 and 2.5 frames: both go to frame 2.
  // (The 10 ms ramp is then one frame: the jump starts at its frame and is complete one frame later.)
  for (const double timeS : {0.75, 1.25}) {
    const ParameterCurve curve({{timeS, 0.0}, {timeS, 1.0}}, CurveShape::Step, 2.0);
    CHECK(curve.valueAt(1) == 0.0);
    CHECK(curve.valueAt(2) == 0.0);
    CHECK(curve.valueAt(3) == 1.0);
  }
  // Away from ties, the nearest frame.
  const ParameterCurve nearest({{0.6, 0.0}, {0.6, 1.0}}, CurveShape::Step, 2.0);  // 1.2 frames: frame 1
  CHECK(nearest.valueAt(1) == 0.0);
  CHECK(nearest.valueAt(2) == 1.0);
}

TEST_CASE("dsp: a step curve holds each value and ramps every jump linearly over 10 ms") {
  const ParameterCurve curve({{0.0, -20.0}, {1.0, 0.0}, {1.5, -6.0}}, CurveShape::Step, kRate);
  CHECK(curve.valueAt(47999) == -20.0);
  CHECK(curve.valueAt(48000) == -20.0);
  for (std::int64_t since = 0; since <= kRampFrames; since += 60)
    CHECK(curve.valueAt(48000 + since) ==
          doctest::Approx(-20.0 + 20.0 * static_cast<double>(since) / kRampFrames).epsilon(1e-12));
  CHECK(curve.valueAt(48000 + kRampFrames) == 0.0);
  CHECK(curve.valueAt(72000 + kRampFrames / 2) == doctest::Approx(-3.0));
  CHECK(curve.valueAt(80000) == -6.0);
}

TEST_CASE("dsp: two points at one time make a ramped jump inside a linear curve") {
  const ParameterCurve curve({{0.0, 0.0}, {1.0, 10.0}, {1.0, -10.0}, {2.0, -10.0}}, CurveShape::Linear, kRate);
  CHECK(curve.valueAt(24000) == doctest::Approx(5.0));
  CHECK(curve.valueAt(48000) == doctest::Approx(10.0));  // the ramp starts from the value reached
  CHECK(curve.valueAt(48000 + kRampFrames / 2) == doctest::Approx(0.0));
  CHECK(curve.valueAt(48000 + kRampFrames) == -10.0);
}

TEST_CASE("dsp: a smooth curve is a half-cosine between points") {
  const ParameterCurve curve({{0.0, 100.0}, {1.0, 1100.0}}, CurveShape::Smooth, kRate);
  for (const double x : {0.0, 0.1, 0.25, 0.5, 0.8, 1.0}) {
    const auto frame = static_cast<std::int64_t>(x * kRate);
    CHECK(curve.valueAt(frame) == doctest::Approx(100.0 + 1000.0 * (1.0 - std::cos(std::numbers::pi * x)) / 2.0));
  }
}

TEST_CASE("dsp: rendering a parameter curve in blocks gives the values of every frame") {
  const ParameterCurve curve({{0.01, 1.0}, {0.02, 3.0}, {0.02, -1.0}, {0.05, 2.0}}, CurveShape::Smooth, kRate);
  std::vector<double> block(1000);
  for (std::int64_t start = -500; start < 4000; start += 1000) {
    curve.render(start, 1000, block.data());
    for (int index = 0; index < 1000; ++index) REQUIRE(block[static_cast<size_t>(index)] == curve.valueAt(start + index));
  }
}
