#include "mixdown/render/master_capture.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::render {

namespace {

constexpr int kStereo = 2;

}  // namespace

MasterCapture::MasterCapture(const std::filesystem::path& mixPath)
    : shownName_("the temporary master of " + io::quotedPath(mixPath)),
      temporary_(mixPath, ".master") {
  errno = 0;
  const int descriptor = ::dup(temporary_.descriptor());
  if (descriptor >= 0) file_ = ::fdopen(descriptor, "w+b");
  if (file_ == nullptr) {
    const int error = errno;
    if (descriptor >= 0) ::close(descriptor);
    throw ioErrorFromErrno("cannot write " + shownName_, error);
  }
}

MasterCapture::~MasterCapture() {
  if (file_ != nullptr) std::fclose(file_);
}

void MasterCapture::write(ConstAudioBlock stereo) {
  const auto frames = static_cast<std::size_t>(stereo.frames());
  interleaved_.resize(frames * kStereo);
  for (std::size_t frame = 0; frame < frames; ++frame)
    for (int channel = 0; channel < kStereo; ++channel)
      interleaved_[frame * kStereo + static_cast<std::size_t>(channel)] = stereo.channel(channel)[frame];
  for (int channel = 0; channel < kStereo && frames > 0; ++channel)
    peakAmplitude_ = std::max(peakAmplitude_, stereo.array(channel).abs().maxCoeff());
  errno = 0;
  if (std::fwrite(interleaved_.data(), sizeof(float), interleaved_.size(), file_) != interleaved_.size())
    throw ioErrorFromErrno("cannot write " + shownName_, errno);
  frames_ += stereo.frames();
}

void MasterCapture::finishWriting() {
  errno = 0;
  if (std::fflush(file_) != 0) throw ioErrorFromErrno("cannot write " + shownName_, errno);
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
      throw ioErrorFromErrno("cannot read back " + shownName_, errno);
    AudioBlock block = planar.block(count);
    for (int frame = 0; frame < count; ++frame)
      for (int channel = 0; channel < kStereo; ++channel)
        block.channel(channel)[frame] = interleaved_[static_cast<std::size_t>(frame) * kStereo + static_cast<std::size_t>(channel)];
    consume(block);
    done += count;
  }
}

}  // namespace mixdown::render
