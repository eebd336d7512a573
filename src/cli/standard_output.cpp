#include "mixdown/cli/standard_output.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <iostream>

#include "mixdown/cli/exit_status.h"
#include "mixdown/cli/messages.h"
#include "mixdown/cli/stop_signals.h"
#include "mixdown/util/error.h"

namespace mixdown::cli {

StandardOutput::StandardOutput() {
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  previous_ = std::cout.rdbuf(this);
}

StandardOutput::~StandardOutput() {
  drain();
  std::cout.rdbuf(previous_);
}

bool StandardOutput::drain() noexcept {
  const char* next = pbase();
  const char* end = pptr();
  while (next < end && firstError_ == 0) {
    const ssize_t written = ::write(STDOUT_FILENO, next, static_cast<std::size_t>(end - next));
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) firstError_ = written < 0 ? errno : EIO;
    else next += written;
  }
  setp(buffer_.data(), buffer_.data() + buffer_.size());  // after a failure, what follows is dropped
  return firstError_ == 0;
}

StandardOutput::int_type StandardOutput::overflow(int_type character) {
  if (!drain()) return traits_type::eof();
  if (!traits_type::eq_int_type(character, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(character);
    pbump(1);
  }
  return traits_type::not_eof(character);
}

int StandardOutput::sync() { return drain() ? 0 : -1; }

int StandardOutput::finish(int status) {
  std::cout.flush();
  if (drain()) return status;
  if (firstError_ == EPIPE) return exitStatusForSignal(SIGPIPE);
  const IoError error = ioErrorFromErrno("cannot write to standard output", firstError_);
  printError(error.what());
  return error.transient() ? kExitTemporaryFailure : kExitFailure;
}

}  // namespace mixdown::cli
