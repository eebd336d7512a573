#include "mixdown/util/error.h"

#include <cerrno>
#include <cctype>
#include <cstring>

namespace mixdown {

bool isTransientErrno(int errorNumber) noexcept {
  return errorNumber == ENOSPC || errorNumber == EDQUOT || errorNumber == EFBIG || errorNumber == EIO ||
         errorNumber == ENOMEM;
}

IoError ioErrorFromErrno(const std::string& what, int errorNumber) {
  std::string reason = errorNumber != 0 ? std::strerror(errorNumber) : "unknown error";
  if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  return IoError(what + ": " + reason, isTransientErrno(errorNumber));
}

}  // namespace mixdown
