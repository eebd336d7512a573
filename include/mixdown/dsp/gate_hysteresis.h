#pragma once
// The gate's hysteresis, between its level detector and its gain computer:
// the gate opens when the level reaches thresholdDb and closes only when it
// falls below thresholdDb - hysteresisDb, so a level hovering around the
// threshold does not open and close it on every crossing. While the gate is
// open, a level inside that band is handed on as thresholdDb, where the
// static curve (a gate's or an expander's) is fully open; every other level
// passes unchanged. With hysteresisDb 0 every level passes unchanged.
// After reset() the gate is closed, as after a long silence.

#include <algorithm>

namespace mixdown::dsp {

class GateHysteresis {
public:
  /** Takes a new threshold and band from the next frame on; open or closed stays. hysteresisDb >= 0. */
  void setBand(double thresholdDb, double hysteresisDb) noexcept {
    thresholdDb_ = thresholdDb;
    closingDb_ = thresholdDb - hysteresisDb;
  }
  void reset() noexcept { open_ = false; }
  bool isOpen() const noexcept { return open_; }
  /** The level the gain computer sees for this frame's detected level (dB). */
  double process(double levelDb) noexcept {
    open_ = levelDb >= thresholdDb_ || (open_ && levelDb >= closingDb_);
    return open_ ? std::max(levelDb, thresholdDb_) : levelDb;
  }

private:
  double thresholdDb_ = 0.0;
  double closingDb_ = 0.0;
  bool open_ = false;
};

}  // namespace mixdown::dsp
