#pragma once
// Uniformly partitioned FFT convolution (overlap-save with a frequency-domain
// delay line) of one channel with one impulse response.
//
// The impulse response h (times a gain) is cut into P partitions of B frames;
// each is zero-padded to 2B frames and transformed once, at construction. The
// input is gathered into blocks of B frames; when a block is complete, the last
// 2B input frames are transformed, the spectra of the last P input blocks are
// multiplied with the P partition spectra and summed, and the second half of
// the inverse transform holds the next B output frames. The output is therefore
//   output[n] = gain * sum_k h[k] input[n - B - k]
// (inputs before the first frame are 0): the latency is exactly B frames, and
// the output does not depend on how the input is split into process() calls.
// Transforms are double precision (Eigen's FFT, kissfft backend); the stored
// spectra and their products and sums are single precision, which halves the
// memory read per frame (the spectra of a long response do not fit in cache)
// and keeps the error against exact convolution near -140 dB of the output's
// peak. Output magnitudes below the smallest normal float become 0, so a
// decaying tail never produces subnormal numbers.
// Cost per output frame: two FFTs of 2B points per B frames, plus about P
// complex multiply-adds (partitions that are entirely zero are skipped).

#include <complex>
#include <span>
#include <vector>

#include <unsupported/Eigen/FFT>

namespace mixdown::dsp {

class PartitionedConvolver {
public:
  /** Allocates and transforms gain * impulseResponse; partitionFrames is a power of two >= 2. */
  PartitionedConvolver(std::span<const float> impulseResponse, double gain, int partitionFrames);

  int partitionFrames() const noexcept { return partitionFrames_; }
  int partitionCount() const noexcept { return partitionCount_; }
  /** Frames between an input frame and the output frame of the impulse response's first tap: B. */
  int latencyFrames() const noexcept { return partitionFrames_; }

  /** Forgets every input so far (as if all were 0). Never allocates. */
  void reset() noexcept;
  /** Writes frames outputs for frames inputs; output may be input (in place). Never allocates. */
  void process(const float* input, float* output, int frames) noexcept;

private:
  using Complex = std::complex<double>;
  using StoredComplex = std::complex<float>;

  void convolveBlock() noexcept;

  Eigen::FFT<double> fft_;
  int partitionFrames_ = 0;          // B
  int partitionCount_ = 0;           // P
  int binCount_ = 0;                 // B + 1: the half spectrum of 2B real points
  std::vector<StoredComplex> partitionSpectra_;  // P x binCount_, already scaled by gain / (2B)
  std::vector<int> nonzeroPartitions_;           // indices of the partitions whose spectrum is not all 0
  std::vector<StoredComplex> inputSpectra_;      // P x binCount_: ring of the last P input blocks' spectra
  int newestInputSpectrum_ = 0;                  // ring slot of the latest block
  std::vector<StoredComplex> sumSpectrum_;       // binCount_
  std::vector<Complex> transformSpectrum_;       // binCount_: what the FFT reads or writes
  std::vector<double> inputWindow_;        // 2B: previous block, then the block being gathered
  std::vector<double> timeDomain_;         // 2B: inverse transform of sumSpectrum_
  std::vector<float> pendingOutput_;       // B: outputs of the last complete block, played during the next
  int gatheredFrames_ = 0;                 // frames of the current block gathered so far, 0 .. B - 1
};

}  // namespace mixdown::dsp
