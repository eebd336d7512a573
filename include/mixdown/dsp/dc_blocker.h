#pragma once
// A DC blocker: the first-order highpass
//
//   y[n] = x[n] - x[n-1] + pole y[n-1],   pole = exp(-2 pi cutoffHz / fs)
//
// per channel, with its state in double (the pole is within 1e-3 of 1 at
// the usual rates, where float state would leave a residue of the input's
// rounding). Its zero at DC removes a constant exactly; at 4 cutoffs above
// the cutoff it is within 0.26 dB of unity (|H| = |1 - z^-1| / |1 - pole z^-1|).
// Its phase lead is that of a one-pole highpass: 14 degrees at 4 cutoffs.
// No latency. A state below kTinyLevel is flushed to 0, so a decaying tail
// never turns subnormal.

#include <vector>

#include "mixdown/audio/audio_block.h"

namespace mixdown::dsp {

class DcBlocker {
public:
  /** Sizes the state for channels and computes the pole from the rate; clears the state. */
  void prepare(int channels, double cutoffHz, double sampleRate);
  void reset() noexcept;
  /** In place, on the first channels() channels of io. */
  void process(AudioBlock io) noexcept;
  int channels() const noexcept { return static_cast<int>(previousInput_.size()); }

private:
  double pole_ = 0.0;
  std::vector<double> previousInput_;   // x[n-1] per channel
  std::vector<double> previousOutput_;  // y[n-1] per channel
};

}  // namespace mixdown::dsp
