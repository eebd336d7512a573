#pragma once
// Exceptions that carry a user-facing message. The CLI prefixes the session
// file and JSON pointer where it knows them.

#include <stdexcept>
#include <string>

namespace mixdown {

/**
 * A file could not be read or written; what() names the file and the reason.
 * transient(): a retry may cure it (out of disk space or quota, a file-size
 * limit, an I/O error, out of memory): the CLI exits 75 (EX_TEMPFAIL) for it.
 */
class IoError : public std::runtime_error {
public:
  explicit IoError(const std::string& message, bool transient = false)
      : std::runtime_error(message), transient_(transient) {}
  bool transient() const noexcept { return transient_; }

private:
  bool transient_;
};

/** Whether an errno value is one a retry may cure: ENOSPC, EDQUOT, EFBIG, EIO, ENOMEM. */
bool isTransientErrno(int errorNumber) noexcept;

/** An IoError "<what>: <strerror(errorNumber)>", transient as isTransientErrno says. */
IoError ioErrorFromErrno(const std::string& what, int errorNumber);

}  // namespace mixdown
