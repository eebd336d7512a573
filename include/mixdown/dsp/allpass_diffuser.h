#pragma once
// A series of Schroeder allpass filters (Schroeder 1962): v[n] = x[n] + g v[n - D],
// y[n] = v[n - D] - g v[n], i.e. H(z) = (z^-D - g) / (1 - g z^-D), |H| = 1 at every
// frequency. It smears an impulse into a dense burst without colouring its spectrum.
// Its first output sample is -g x[0]: a chain adds no delay. Storage is sized in
// prepare(); process() never allocates.

#include <vector>

namespace mixdown::dsp {

class AllpassDiffuser {
public:
  struct Stage {
    int delayFrames = 1;  // D >= 1
    float gain = 0.5f;    // g, |g| < 1
  };

  /** Sets the stages, in processing order, and clears their state. May allocate. */
  void prepare(const std::vector<Stage>& stages);
  void reset() noexcept;
  /** Filters samples in place through every stage. */
  void process(float* samples, int frames) noexcept;
  /** Frames after the end of the input until every stage's ring-out is below -levelDb (> 0 dB). */
  int ringFrames(double levelDb) const noexcept;

private:
  struct StageState {
    Stage stage;
    std::size_t offset = 0;    // start of its v history in history_
    std::size_t position = 0;  // index of v[n - D] (overwritten by v[n]) within the history
  };
  std::vector<StageState> stages_;
  std::vector<float> history_;  // each stage's last D values of v, as a ring
};

}  // namespace mixdown::dsp
