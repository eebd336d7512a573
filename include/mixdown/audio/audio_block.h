#pragma once
// Non-owning views of planar float audio, and the buffer that owns it.
// A view never manages the memory it refers to; only AudioBuffer (held by the
// graph) owns storage. Channels are planar: channel c starts at data + c * stride.

#include <Eigen/Core>
#include <cassert>
#include <vector>

namespace mixdown {

using ChannelArray = Eigen::Map<Eigen::ArrayXf>;
using ConstChannelArray = Eigen::Map<const Eigen::ArrayXf>;

class AudioBlock {
public:
  AudioBlock() = default;
  AudioBlock(float* data, int channels, int frames, int channelStride)
      : data_(data), channels_(channels), frames_(frames), stride_(channelStride) {}

  int channels() const noexcept { return channels_; }
  int frames() const noexcept { return frames_; }
  bool empty() const noexcept { return channels_ == 0 || frames_ == 0; }
  float* channel(int index) const noexcept {
    assert(index >= 0 && index < channels_);
    return data_ + static_cast<std::ptrdiff_t>(index) * stride_;
  }
  ChannelArray array(int index) const noexcept { return ChannelArray(channel(index), frames_); }
  /** Frames [firstFrame, firstFrame + frameCount) of every channel. */
  AudioBlock slice(int firstFrame, int frameCount) const noexcept {
    assert(firstFrame >= 0 && firstFrame + frameCount <= frames_);
    return AudioBlock(data_ + firstFrame, channels_, frameCount, stride_);
  }
  /** The same frames with fewer channels (the first channelCount). */
  AudioBlock withChannels(int channelCount) const noexcept {
    return AudioBlock(data_, channelCount, frames_, stride_);
  }
  void clear() const noexcept {
    for (int c = 0; c < channels_; ++c) array(c).setZero();
  }

private:
  float* data_ = nullptr;
  int channels_ = 0;
  int frames_ = 0;
  int stride_ = 0;
};

class ConstAudioBlock {
public:
  ConstAudioBlock() = default;
  ConstAudioBlock(const float* data, int channels, int frames, int channelStride)
      : data_(data), channels_(channels), frames_(frames), stride_(channelStride) {}
  ConstAudioBlock(const AudioBlock& block)  // NOLINT: a writable view is readable
      : data_(block.channels() ? block.channel(0) : nullptr), channels_(block.channels()),
        frames_(block.frames()),
        stride_(block.channels() > 1 ? static_cast<int>(block.channel(1) - block.channel(0)) : block.frames()) {}

  int channels() const noexcept { return channels_; }
  int frames() const noexcept { return frames_; }
  bool empty() const noexcept { return channels_ == 0 || frames_ == 0; }
  const float* channel(int index) const noexcept {
    assert(index >= 0 && index < channels_);
    return data_ + static_cast<std::ptrdiff_t>(index) * stride_;
  }
  ConstChannelArray array(int index) const noexcept { return ConstChannelArray(channel(index), frames_); }
  ConstAudioBlock slice(int firstFrame, int frameCount) const noexcept {
    assert(firstFrame >= 0 && firstFrame + frameCount <= frames_);
    return ConstAudioBlock(data_ + firstFrame, channels_, frameCount, stride_);
  }

private:
  const float* data_ = nullptr;
  int channels_ = 0;
  int frames_ = 0;
  int stride_ = 0;
};

/** Owning planar buffer; allocated once (prepare time), never resized while rendering. */
class AudioBuffer {
public:
  AudioBuffer() = default;
  AudioBuffer(int channels, int capacityFrames)
      : samples_(static_cast<size_t>(channels) * static_cast<size_t>(capacityFrames), 0.0f),
        channels_(channels), capacityFrames_(capacityFrames) {}

  int channels() const noexcept { return channels_; }
  int capacityFrames() const noexcept { return capacityFrames_; }
  AudioBlock block(int frames) noexcept { return block(channels_, frames); }
  AudioBlock block(int channels, int frames) noexcept {
    assert(channels <= channels_ && frames <= capacityFrames_);
    return AudioBlock(samples_.data(), channels, frames, capacityFrames_);
  }
  ConstAudioBlock constBlock(int channels, int frames) const noexcept {
    assert(channels <= channels_ && frames <= capacityFrames_);
    return ConstAudioBlock(samples_.data(), channels, frames, capacityFrames_);
  }

private:
  std::vector<float> samples_;
  int channels_ = 0;
  int capacityFrames_ = 0;
};

}  // namespace mixdown
