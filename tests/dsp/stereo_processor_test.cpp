#include <doctest/doctest.h>

#include "mixdown/dsp/delay_line.h"
#include "mixdown/dsp/gain_processor.h"
#include "mixdown/dsp/stereo_processor.h"

using namespace mixdown;
using namespace mixdown::dsp;

namespace {

AudioBuffer stereoRamp(int frames) {
  AudioBuffer buffer(2, frames);
  AudioBlock block = buffer.block(frames);
  for (int frame = 0; frame < frames; ++frame) {
    block.channel(0)[frame] = 0.01f * static_cast<float>(frame);
    block.channel(1)[frame] = -0.5f + 0.003f * static_cast<float>(frame);
  }
  return buffer;
}

}  // namespace

TEST_CASE("dsp: stereo width 1, balance 0, no swap is the identity") {
  AudioBuffer buffer = stereoRamp(64);
  const AudioBuffer original = stereoRamp(64);
  StereoProcessor processor({1.0, 0.0, false});
  processor.process(buffer.block(64), {}, 0);
  for (int channel = 0; channel < 2; ++channel)
    CHECK((buffer.constBlock(2, 64).array(channel) == original.constBlock(2, 64).array(channel)).all());
}

TEST_CASE("dsp: stereo width scales the side signal and keeps the mid") {
  AudioBuffer buffer = stereoRamp(64);
  const AudioBuffer original = stereoRamp(64);
  for (double width : {0.0, 0.5, 2.0}) {
    buffer = stereoRamp(64);
    StereoProcessor({width, 0.0, false}).process(buffer.block(64), {}, 0);
    for (int frame = 0; frame < 64; ++frame) {
      const double left = original.constBlock(2, 64).channel(0)[frame];
      const double right = original.constBlock(2, 64).channel(1)[frame];
      const double outLeft = buffer.constBlock(2, 64).channel(0)[frame];
      const double outRight = buffer.constBlock(2, 64).channel(1)[frame];
      CHECK((outLeft + outRight) / 2 == doctest::Approx((left + right) / 2).epsilon(1e-6));
      CHECK((outLeft - outRight) / 2 == doctest::Approx(width * (left - right) / 2).epsilon(1e-6));
    }
  }
}

TEST_CASE("dsp: stereo swap exchanges the channels and balance follows the law of balanceGains") {
  AudioBuffer buffer = stereoRamp(16);
  const AudioBuffer original = stereoRamp(16);
  StereoProcessor({1.0, -0.5, true}).process(buffer.block(16), {}, 0);
  for (int frame = 0; frame < 16; ++frame) {
    CHECK(buffer.constBlock(2, 16).channel(0)[frame] == original.constBlock(2, 16).channel(1)[frame]);
    CHECK(buffer.constBlock(2, 16).channel(1)[frame] ==
          doctest::Approx(0.5 * original.constBlock(2, 16).channel(0)[frame]).epsilon(1e-7));
  }
}

TEST_CASE("dsp: gain processor multiplies by 10^(dB/20)") {
  AudioBuffer buffer = stereoRamp(32);
  const AudioBuffer original = stereoRamp(32);
  GainProcessor({-6.0}).process(buffer.block(32), {}, 0);
  for (int frame = 0; frame < 32; ++frame)
    CHECK(buffer.constBlock(2, 32).channel(0)[frame] ==
          doctest::Approx(original.constBlock(2, 32).channel(0)[frame] * 0.5011872336).epsilon(1e-6));
}

TEST_CASE("dsp: a delay line delays by exactly its length, whatever the block split") {
  const int total = 1000;
  AudioBuffer whole = stereoRamp(total);
  const AudioBuffer original = stereoRamp(total);
  DelayLine delay(2, 37);
  int position = 0;
  for (int block : {1, 7, 300, 64, 628}) {
    delay.process(whole.block(total).slice(position, block));
    position += block;
  }
  REQUIRE(position == total);
  for (int channel = 0; channel < 2; ++channel)
    for (int frame = 0; frame < total; ++frame) {
      const float expected = frame < 37 ? 0.0f : original.constBlock(2, total).channel(channel)[frame - 37];
      CHECK(whole.constBlock(2, total).channel(channel)[frame] == expected);
    }
}
