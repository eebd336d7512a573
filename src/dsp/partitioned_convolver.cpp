#include "mixdown/dsp/partitioned_convolver.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <limits>

namespace mixdown::dsp {
namespace {

using StoredSpectrum = Eigen::Map<Eigen::ArrayXcf>;
using ConstStoredSpectrum = Eigen::Map<const Eigen::ArrayXcf>;
using TransformSpectrum = Eigen::Map<Eigen::ArrayXcd>;

std::size_t toSize(int value) noexcept { return static_cast<std::size_t>(value); }

/** The float nearest value, or 0 where that would be subnormal (|value| < FLT_MIN). */
float toNormalFloat(double value) noexcept {
  return std::abs(value) < static_cast<double>(std::numeric_limits<float>::min()) ? 0.0f
                                                                                  : static_cast<float>(value);
}

}  // namespace

PartitionedConvolver::PartitionedConvolver(std::span<const float> impulseResponse, double gain, int partitionFrames)
    : partitionFrames_(partitionFrames) {
  assert(partitionFrames >= 2 && (partitionFrames & (partitionFrames - 1)) == 0);
  const int transformFrames = 2 * partitionFrames;
  const int impulseFrames = std::max(1, static_cast<int>(impulseResponse.size()));
  partitionCount_ = (impulseFrames + partitionFrames - 1) / partitionFrames;
  binCount_ = partitionFrames + 1;
  fft_.SetFlag(Eigen::FFT<double>::HalfSpectrum);
  fft_.SetFlag(Eigen::FFT<double>::Unscaled);  // the inverse's 1 / (2B) is folded into the partition spectra

  const std::size_t spectraSize = toSize(partitionCount_) * toSize(binCount_);
  partitionSpectra_.assign(spectraSize, StoredComplex());
  inputSpectra_.assign(spectraSize, StoredComplex());
  sumSpectrum_.assign(toSize(binCount_), StoredComplex());
  transformSpectrum_.assign(toSize(binCount_), Complex());
  inputWindow_.assign(toSize(transformFrames), 0.0);
  timeDomain_.assign(toSize(transformFrames), 0.0);
  pendingOutput_.assign(toSize(partitionFrames), 0.0f);

  // kissfft builds its plans and scratch on first use: use both directions here, not in process().
  fft_.fwd(transformSpectrum_.data(), timeDomain_.data(), transformFrames);
  fft_.inv(timeDomain_.data(), transformSpectrum_.data(), transformFrames);

  // Partition p holds taps [pB, pB + B), zero-padded to 2B (timeDomain_ serves as the scratch).
  const double scale = gain / static_cast<double>(transformFrames);
  const auto bins = static_cast<Eigen::Index>(binCount_);
  for (int partition = 0; partition < partitionCount_; ++partition) {
    std::fill(timeDomain_.begin(), timeDomain_.end(), 0.0);
    const std::size_t first = std::min(toSize(partition) * toSize(partitionFrames), impulseResponse.size());
    const std::size_t count = std::min(toSize(partitionFrames), impulseResponse.size() - first);
    bool nonzero = false;
    for (std::size_t n = 0; n < count; ++n) {
      timeDomain_[n] = scale * static_cast<double>(impulseResponse[first + n]);
      nonzero = nonzero || timeDomain_[n] != 0.0;
    }
    if (!nonzero) continue;  // its spectrum is exactly 0: nothing to multiply
    fft_.fwd(transformSpectrum_.data(), timeDomain_.data(), transformFrames);
    StoredSpectrum(partitionSpectra_.data() + toSize(partition) * toSize(binCount_), bins) =
        TransformSpectrum(transformSpectrum_.data(), bins).cast<StoredComplex>();
    nonzeroPartitions_.push_back(partition);
  }
  reset();
}

void PartitionedConvolver::reset() noexcept {
  std::fill(inputSpectra_.begin(), inputSpectra_.end(), StoredComplex());
  std::fill(inputWindow_.begin(), inputWindow_.end(), 0.0);
  std::fill(pendingOutput_.begin(), pendingOutput_.end(), 0.0f);
  newestInputSpectrum_ = 0;
  gatheredFrames_ = 0;
}

void PartitionedConvolver::process(const float* input, float* output, int frames) noexcept {
  const int blockFrames = partitionFrames_;
  for (int done = 0; done < frames;) {
    const int count = std::min(frames - done, blockFrames - gatheredFrames_);
    double* gathered = inputWindow_.data() + toSize(blockFrames + gatheredFrames_);
    // Read every input of the span before writing its outputs, so output may alias input.
    for (int n = 0; n < count; ++n) gathered[n] = static_cast<double>(input[done + n]);
    std::copy_n(pendingOutput_.data() + gatheredFrames_, count, output + done);
    gatheredFrames_ += count;
    done += count;
    if (gatheredFrames_ == blockFrames) {
      convolveBlock();
      gatheredFrames_ = 0;
    }
  }
}

void PartitionedConvolver::convolveBlock() noexcept {
  const int blockFrames = partitionFrames_;
  const int transformFrames = 2 * blockFrames;
  const auto bins = static_cast<Eigen::Index>(binCount_);
  const auto spectrumAt = [this](const std::vector<StoredComplex>& spectra, int index) {
    return spectra.data() + toSize(index) * toSize(binCount_);
  };

  newestInputSpectrum_ = (newestInputSpectrum_ + 1) % partitionCount_;
  fft_.fwd(transformSpectrum_.data(), inputWindow_.data(), transformFrames);
  StoredSpectrum(inputSpectra_.data() + toSize(newestInputSpectrum_) * toSize(binCount_), bins) =
      TransformSpectrum(transformSpectrum_.data(), bins).cast<StoredComplex>();

  // Sum over partitions p of X(block - p) H(p): the linear convolution of the last
  // P blocks with the whole response; the circular wrap lands in the first half only.
  StoredSpectrum sum(sumSpectrum_.data(), bins);
  sum.setZero();
  for (const int partition : nonzeroPartitions_) {
    const int slot = (newestInputSpectrum_ - partition + partitionCount_) % partitionCount_;
    sum += ConstStoredSpectrum(spectrumAt(inputSpectra_, slot), bins) *
           ConstStoredSpectrum(spectrumAt(partitionSpectra_, partition), bins);
  }
  TransformSpectrum(transformSpectrum_.data(), bins) = sum.cast<Complex>();
  fft_.inv(timeDomain_.data(), transformSpectrum_.data(), transformFrames);
  for (int n = 0; n < blockFrames; ++n) pendingOutput_[toSize(n)] = toNormalFloat(timeDomain_[toSize(blockFrames + n)]);

  // The gathered block becomes the previous one.
  std::copy_n(inputWindow_.data() + blockFrames, blockFrames, inputWindow_.data());
}

}  // namespace mixdown::dsp
