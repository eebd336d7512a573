#include "mixdown/render/master_capture.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "mixdown/util/error.h"

namespace mixdown::render {

namespace {

constexpr int kStereo = 2;

std::string reason() { return errno != 0 ? std::strerror(errno) : "unknown error"; }

}  // namespace

MasterCapture::MasterCapture(std::filesystem::path path) : path_(std::move(path)) {
  errno = 0;
  file_ = std::fopen(path_.c_str(), "w+b");
  if (file_ == nullptr) throw IoError("cannot write the temporary master \"" + path_.string() + "\": " + reason());
}

MasterCapture::~MasterCapture() {
  if (file_ != nullptr) std::fclose(file_);
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

void MasterCapture::write(ConstAudioBlock stereo) {
  const auto frames = static_cast<std::size_t>(stereo.frames());
  interleaved_.resize(frames * kStereo);
  for (std::size_t frame = 0; frame < frames; ++frame)
    for (int channel = 0; channel < kStereo; ++channel)
      interleaved_[frame * kStereo + static_cast<std::size_t>(channel)] = stereo.channel(channel)[frame];
  errno = 0;
  if (std::fwrite(interleaved_.data(), sizeof(float), interleaved_.size(), file_) != interleaved_.size())
    throw IoError("cannot write the temporary master \"" + path_.string() + "\": " + reason());
  frames_ += stereo.frames();
}

void MasterCapture::finishWriting() {
  errno = 0;
  if (std::fflush(file_) != 0) throw IoError("cannot write the temporary master \"" + path_.string() + "\": " + reason());
}

void MasterCapture::read(int blockFrames, const std::function<void(ConstAudioBlock)>& consume) {
  std::rewind(file_);
  AudioBuffer planar(kStereo, blockFrames);
  interleaved_.resize(static_cast<std::size_t>(blockFrames) * kStereo);
  for (std::int64_t done = 0; done < frames_;) {
    const auto count = static_cast<int>(std::min<std::int64_t>(blockFrames, frames_ - done));
    const auto samples = static_cast<std::size_t>(count) * kStereo;
    errno = 0;
    if (std::fread(interleaved_.data(), sizeof(float), samples, file_) != samples)
      throw IoError("cannot read back the temporary master \"" + path_.string() + "\": " + reason());
    AudioBlock block = planar.block(count);
    for (int frame = 0; frame < count; ++frame)
      for (int channel = 0; channel < kStereo; ++channel)
        block.channel(channel)[frame] = interleaved_[static_cast<std::size_t>(frame) * kStereo + static_cast<std::size_t>(channel)];
    consume(block);
    done += count;
  }
}

}  // namespace mixdown::render
