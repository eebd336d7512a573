#include "mixdown/io/quiet_library_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

namespace mixdown::io {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

}  // namespace

QuietLibraryOutput::QuietLibraryOutput() noexcept {
  if (kSanitized) return;
  std::fflush(stderr);
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null < 0) return;
  savedDescriptor_ = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  if (savedDescriptor_ >= 0 && ::dup2(null, STDERR_FILENO) < 0) {
    ::close(savedDescriptor_);
    savedDescriptor_ = -1;
  }
  ::close(null);
}

QuietLibraryOutput::~QuietLibraryOutput() {
  if (savedDescriptor_ < 0) return;
  std::fflush(stderr);
  ::dup2(savedDescriptor_, STDERR_FILENO);
  ::close(savedDescriptor_);
}

}  // namespace mixdown::io
