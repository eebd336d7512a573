#pragma once
// Exceptions that carry a user-facing message. The CLI prefixes the session
// file and JSON pointer where it knows them.

#include <stdexcept>
#include <string>

namespace mixdown {

/** A file could not be read or written; what() names the file and the reason. */
class IoError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

}  // namespace mixdown
