#include "mixdown/io/clip_stream.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "mixdown/dsp/resampler.h"
#include "mixdown/util/error.h"

namespace mixdown::io {
namespace {

constexpr std::int64_t kChunkFrames = 4096;
// Source frames fed to the resampler before the clip's first frame (when the file
// has them), so a clip that starts mid-file starts without the filter's onset.
constexpr std::int64_t kPrerollSourceFrames = 4096;

/** destination[frame] = source[frame * kStride] for frame < frames. */
template <int kStride>
void deinterleave(const float* source, std::int64_t frames, float* destination) {
  for (std::int64_t frame = 0; frame < frames; ++frame) destination[frame] = source[frame * kStride];
}

}  // namespace

std::vector<int> ClipStream::resolveChannels(const ClipReadSpec& clip, int sourceChannels) {
  std::vector<int> selected = clip.channels;
  if (selected.empty()) {
    selected.resize(static_cast<std::size_t>(sourceChannels));
    std::iota(selected.begin(), selected.end(), 0);
  }
  for (const int index : selected) {
    if (index < 0 || index >= sourceChannels) {
      throw IoError(quotedPath(clip.file) + " has " + std::to_string(sourceChannels) + " channels; channel index " +
                    std::to_string(index) + " does not exist");
    }
  }
  if (selected.size() > 2) {
    throw IoError(quotedPath(clip.file) + " has " + std::to_string(selected.size()) +
                  " channels; select at most 2 with \"channels\"");
  }
  return selected;
}

std::int64_t ClipStream::firstSourceFrame(const ClipReadSpec& clip, int sourceRate) noexcept {
  return std::max<std::int64_t>(0, std::llround(clip.fromS * sourceRate));
}

ClipStream::ClipStream(const ClipReadSpec& clip, int sessionRate, std::int64_t firstClipFrame,
                       std::int64_t plannedFrames, int plannedChannels)
    : file_(SoundFile::openRead(clip.file)), plannedFrames_(plannedFrames), clipPosition_(firstClipFrame) {
  const SF_INFO& info = file_.info();
  const auto changed = [&](const std::string& now) {
    return IoError("cannot read " + quotedPath(clip.file) + ": the file has changed since it was checked (" + now + ")");
  };
  if (TrackSourceReader::clipFrames(clip, info.frames, info.samplerate, sessionRate) < plannedFrames)
    throw changed(std::to_string(info.frames) + " frames now");
  try {
    selected_ = resolveChannels(clip, info.channels);
  } catch (const IoError&) {
    throw changed(std::to_string(info.channels) + " channels now");
  }
  if (static_cast<int>(selected_.size()) != plannedChannels)
    throw changed(std::to_string(selected_.size()) + " channels now, " + std::to_string(plannedChannels) + " before");
  const std::size_t selectedCount = selected_.size();
  sourceChunk_.resize(static_cast<std::size_t>(kChunkFrames * info.channels));
  selectedChunk_.resize(static_cast<std::size_t>(kChunkFrames) * selectedCount);

  const std::int64_t fromFrame = firstSourceFrame(clip, info.samplerate);
  std::int64_t startSourceFrame = fromFrame + firstClipFrame;
  if (info.samplerate != sessionRate) {
    // Resampled output frame j is source time j / sessionRate. Start on the grid where
    // source and session frames coincide, so the output stays exactly aligned.
    const std::int64_t common = std::gcd(info.samplerate, sessionRate);
    const std::int64_t sourceStep = info.samplerate / common;
    const std::int64_t outputStep = sessionRate / common;
    const std::int64_t gridSourceFrame = fromFrame + (firstClipFrame / outputStep) * sourceStep;
    const std::int64_t prerollSteps =
        std::min((kPrerollSourceFrames + sourceStep - 1) / sourceStep, gridSourceFrame / sourceStep);
    startSourceFrame = gridSourceFrame - prerollSteps * sourceStep;
    outputToDiscard_ = prerollSteps * outputStep + firstClipFrame % outputStep;
    resampler_ = std::make_unique<dsp::Resampler>(info.samplerate, sessionRate, static_cast<int>(selectedCount));
    resampledChunk_.resize(static_cast<std::size_t>(kChunkFrames) * selectedCount);
  }
  if (startSourceFrame >= info.frames) {
    sourceEnded_ = true;
  } else if (startSourceFrame > 0 && !file_.seekFrame(startSourceFrame)) {
    throw IoError("cannot read " + quotedPath(clip.file) + ": cannot seek to frame " +
                  std::to_string(startSourceFrame) + " (" + file_.errorText() + ")");
  }
  sourcePosition_ = startSourceFrame;
}

ClipStream::~ClipStream() = default;

void ClipStream::read(AudioBlock out) {
  if (out.channels() != channels()) throw std::invalid_argument("ClipStream::read: channel count mismatch");
  if (resampler_) {
    readResampled(out);
  } else {
    readDirect(out);
  }
  clipPosition_ += out.frames();
}

void ClipStream::throwReadFailure() const {
  throw IoError("cannot read " + quotedPath(file_.path()) + ": reading stopped at frame " +
                std::to_string(sourcePosition_) + " of " + std::to_string(file_.info().frames) + " (" +
                file_.errorText() + ")");
}

void ClipStream::readDirect(AudioBlock out) {
  const int sourceChannels = file_.info().channels;
  const std::int64_t inPlan = std::clamp<std::int64_t>(plannedFrames_ - clipPosition_, 0, out.frames());
  std::int64_t done = 0;
  while (done < inPlan) {
    const std::int64_t wanted = std::min(inPlan - done, kChunkFrames);
    const std::int64_t got = sourceEnded_ ? 0 : file_.readFrames(sourceChunk_.data(), wanted);
    if (got < wanted) {
      sourcePosition_ += got;
      throwReadFailure();
    }
    for (int c = 0; c < channels(); ++c) {
      float* destination = out.channel(c) + done;
      const float* source = sourceChunk_.data() + selected_[static_cast<std::size_t>(c)];
      // Mono and stereo files (nearly all) with their stride known, so the copies vectorize.
      if (sourceChannels == 1) std::copy(source, source + got, destination);
      else if (sourceChannels == 2) deinterleave<2>(source, got, destination);
      else for (std::int64_t frame = 0; frame < got; ++frame) destination[frame] = source[frame * sourceChannels];
    }
    sourcePosition_ += got;
    done += got;
  }
  for (int c = 0; c < channels(); ++c) {
    std::fill(out.channel(c) + inPlan, out.channel(c) + out.frames(), 0.0f);
  }
}

bool ClipStream::readSourceChunk() {
  const std::int64_t got = file_.readFrames(sourceChunk_.data(), kChunkFrames);
  if (got == 0) {
    if (sourcePosition_ < file_.info().frames) throwReadFailure();
    return false;
  }
  const int sourceChannels = file_.info().channels;
  const int count = channels();
  for (std::int64_t frame = 0; frame < got; ++frame) {
    for (int c = 0; c < count; ++c) {
      selectedChunk_[static_cast<std::size_t>(frame * count + c)] =
          sourceChunk_[static_cast<std::size_t>(frame * sourceChannels + selected_[static_cast<std::size_t>(c)])];
    }
  }
  sourcePosition_ += got;
  pendingOffsetFrames_ = 0;
  pendingFrames_ = static_cast<std::size_t>(got);
  return true;
}

void ClipStream::pullResampled(float* interleaved, std::size_t frameCount) {
  const auto count = static_cast<std::size_t>(channels());
  std::size_t produced = 0;
  while (produced < frameCount) {
    if (pendingFrames_ == 0 && !sourceEnded_ && !readSourceChunk()) sourceEnded_ = true;
    float* destination = interleaved + produced * count;
    if (pendingFrames_ > 0) {
      const auto progress = resampler_->process(selectedChunk_.data() + pendingOffsetFrames_ * count, pendingFrames_,
                                                destination, frameCount - produced);
      if (progress.inputFramesUsed == 0 && progress.outputFrames == 0) {
        throw std::runtime_error("resampler made no progress");
      }
      pendingOffsetFrames_ += progress.inputFramesUsed;
      pendingFrames_ -= progress.inputFramesUsed;
      produced += progress.outputFrames;
    } else {
      const std::size_t drained = resampler_->drain(destination, frameCount - produced);
      if (drained == 0) {
        std::fill(destination, interleaved + frameCount * count, 0.0f);
        produced = frameCount;
      }
      produced += drained;
    }
  }
}

void ClipStream::readResampled(AudioBlock out) {
  const auto count = static_cast<std::size_t>(channels());
  while (outputToDiscard_ > 0) {
    const std::int64_t frames = std::min(outputToDiscard_, kChunkFrames);
    pullResampled(resampledChunk_.data(), static_cast<std::size_t>(frames));
    outputToDiscard_ -= frames;
  }
  std::int64_t done = 0;
  while (done < out.frames()) {
    const std::int64_t frames = std::min<std::int64_t>(out.frames() - done, kChunkFrames);
    pullResampled(resampledChunk_.data(), static_cast<std::size_t>(frames));
    for (std::size_t c = 0; c < count; ++c) {
      float* destination = out.channel(static_cast<int>(c)) + done;
      for (std::int64_t frame = 0; frame < frames; ++frame) {
        destination[frame] = resampledChunk_[static_cast<std::size_t>(frame) * count + c];
      }
    }
    done += frames;
  }
}

}  // namespace mixdown::io
