#pragma once
// A 16-line feedback delay network (Jot and Chaigne 1991) with a Hadamard feedback
// matrix, for the reverb's late field.
//
// Per frame: every line's output v_i (written d_i frames ago) passes its absorption
// filter A_i, the 16 filtered values are mixed by the orthogonal matrix H16 / 4
// (Sylvester Hadamard, fast Walsh-Hadamard transform), the stereo input is added
// (left input times leftInput_i plus right input times rightInput_i), and the sums
// s_i are written into the lines. The outputs are read at the same points: left =
// sum leftTaps_i s_i, right = sum rightTaps_i s_i, so an input frame reaches the
// output in the same frame (the network adds no delay of its own) through a direct
// path of gain 1/4. The gains are fixed sign patterns of norm 1
// (feedback_delay_network.cpp).
//
// Decay: A_i is a first-order shelf, bilinear from H(s) = (gHigh s + gLow w) / (s + w)
// with w = 2 pi crossoverHz (prewarped): gain gLow_i = 10^(-3 d_i / (lowDecayS fs)) at
// DC and gHigh_i = 10^(-3 d_i / (highDecayS fs)) at Nyquist. Since the matrix is
// orthogonal, every mode loses 60 dB in lowDecayS (low frequencies) and in highDecayS
// (high frequencies); in between the shelf moves the decay time from one to the other
// around crossoverHz.

#include <array>
#include <utility>
#include <vector>

namespace mixdown::dsp {

class FeedbackDelayNetwork {
public:
  static constexpr int kLineCount = 16;
  using LineArray = std::array<float, kLineCount>;

  struct Design {
    std::array<int, kLineCount> delayFrames{};  // d_i >= 1, best mutually prime
    double lowDecayS = 1.0;                     // RT60 below the crossover (exact at DC), > 0
    double highDecayS = 1.0;                    // RT60 above it (exact at Nyquist), > 0
    double crossoverHz = 4000.0;                // 0 < crossoverHz < sampleRate / 2
    double sampleRate = 48000.0;
  };

  /** Sizes the lines and designs the absorption filters; clears the state. May allocate. */
  void prepare(const Design& design);
  void reset() noexcept;
  /**
   * New decay times: every line's absorption filter moves linearly to its new
   * coefficients over rampFrames frames (at once when <= 0). Never allocates.
   */
  void setDecay(double lowDecayS, double highDecayS, int rampFrames) noexcept;
  /** Replaces left and right (the network's inputs) by its outputs, frame by frame. */
  void process(float* left, float* right, int frames) noexcept;

private:
  /** process() in the current instruction-set build; every line's arithmetic in vector lanes. */
  template <int kUnused = 0>
  void processFrames(float* left, float* right, int frames) noexcept;
  void processFramesAvx2(float* left, float* right, int frames) noexcept;
  void processFramesBaseline(float* left, float* right, int frames) noexcept;

  std::vector<float> lines_;         // kLineCount rings of lineFrames_ each, line-major
  std::size_t lineFrames_ = 0;       // a power of two >= the longest d_i + 1
  std::size_t writePosition_ = 0;    // where s_i of the next frame goes, in every ring
  std::array<std::size_t, kLineCount> delayFrames_{};
  std::size_t shortestDelay_ = 0;    // blocks of frames run together when it is at least their length
  /** The absorption shelf of every line for the decay times, as (b0, b1). */
  std::pair<LineArray, LineArray> shelfCoefficients(double lowDecayS, double highDecayS) const noexcept;
  /** Advances the coefficient ramp by one frame. */
  void stepShelves() noexcept;

  double sampleRate_ = 48000.0;
  double prewarp_ = 1.0;             // K = tan(pi fc / fs) of the shelves
  LineArray shelfB0_{};
  LineArray shelfB1_{};
  LineArray shelfB0Step_{};          // per-frame change while the decay ramps
  LineArray shelfB1Step_{};
  LineArray shelfB0Target_{};
  LineArray shelfB1Target_{};
  int rampFramesLeft_ = 0;
  float shelfA1_ = 0.0f;             // the same pole for every line
  LineArray shelfState_{};           // transposed direct form II state of each A_i
};

}  // namespace mixdown::dsp
