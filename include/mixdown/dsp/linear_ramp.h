#pragma once
// A value that moves in a straight line to a target over a given number of
// frames, one step per frame: the per-sample smoothing of automated gain-like
// parameters (gains, mixes, widths). Its sequence depends only on the frames
// advanced, never on how they are split into blocks.

#include "mixdown/audio/audio_block.h"

namespace mixdown::dsp {

class LinearRamp {
public:
  explicit LinearRamp(double value = 0.0) noexcept : value_(value), target_(value) {}

  /** Holds value from now on. */
  void snap(double value) noexcept {
    value_ = target_ = value;
    step_ = 0.0;
    framesLeft_ = 0;
  }
  /**
   * Moves from the current value to target over frames frames: the k-th next()
   * from now returns value + (k - 1) (target - value) / frames, and from the
   * (frames + 1)-th on exactly target. frames <= 0 snaps.
   */
  void rampTo(double target, int frames) noexcept {
    if (frames <= 0) {
      snap(target);
      return;
    }
    target_ = target;
    step_ = (target - value_) / frames;
    framesLeft_ = frames;
  }
  bool isRamping() const noexcept { return framesLeft_ > 0; }
  int framesLeft() const noexcept { return framesLeft_; }
  /** The value the next frame takes. */
  double value() const noexcept { return value_; }
  double target() const noexcept { return target_; }
  /** The value of this frame; then advances one frame. */
  double next() noexcept {
    const double current = value_;
    if (framesLeft_ > 0) {
      value_ = --framesLeft_ == 0 ? target_ : value_ + step_;
    }
    return current;
  }

  /** values[i] = next() for i < frames, as floats. */
  void fill(float* values, int frames) noexcept {
    for (int frame = 0; frame < frames; ++frame) values[frame] = static_cast<float>(next());
  }

private:
  double value_ = 0.0;
  double target_ = 0.0;
  double step_ = 0.0;
  int framesLeft_ = 0;
};

/** io *= the ramp's values, one per frame (every channel of a frame gets the same value). */
inline void applyRampedGain(AudioBlock io, LinearRamp& gain) noexcept {
  int frame = 0;
  for (; frame < io.frames() && gain.isRamping(); ++frame) {
    const auto value = static_cast<float>(gain.next());
    for (int channel = 0; channel < io.channels(); ++channel) io.channel(channel)[frame] *= value;
  }
  if (frame == io.frames()) return;
  const auto value = static_cast<float>(gain.value());
  for (int channel = 0; channel < io.channels(); ++channel)
    io.array(channel).segment(frame, io.frames() - frame) *= value;
}

}  // namespace mixdown::dsp
