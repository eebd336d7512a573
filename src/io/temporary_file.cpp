#include "mixdown/io/temporary_file.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <utility>

#include "mixdown/io/sound_file.h"
#include "mixdown/util/error.h"

namespace mixdown::io {

namespace {

constexpr int kRandomDigits = 16;
constexpr const char* kSuffix = ".mixdown-tmp";

/** 16 hex digits from the kernel's generator: a name no one can plant beforehand. */
std::string randomDigits() {
  std::array<unsigned char, kRandomDigits / 2> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw ioErrorFromErrno("cannot draw a random temporary name", errno);
    }
    filled += static_cast<std::size_t>(got);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string digits;
  for (const unsigned char byte : bytes) {
    digits.push_back(kHex[byte >> 4]);
    digits.push_back(kHex[byte & 0xF]);
  }
  return digits;
}

bool isHexDigit(char character) { return (character >= '0' && character <= '9') || (character >= 'a' && character <= 'f'); }

}  // namespace

TemporaryFile::TemporaryFile(const std::filesystem::path& target, const std::string& tag) {
  const std::filesystem::path folder = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  // Built by appending (GCC 12 warns falsely of overlapping memcpy for "." + string).
  std::string stem(1, '.');
  stem.append(target.filename().string()).append(tag).push_back('.');
  // A collision (EEXIST) means a file of that name exists already: never reuse it, draw again.
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::filesystem::path candidate = folder / (stem + randomDigits() + kSuffix);
    const int descriptor =
        ::open(candidate.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (descriptor >= 0) {
      path_ = std::move(candidate);
      descriptor_ = descriptor;
      return;
    }
    if (errno != EEXIST) throw ioErrorFromErrno("cannot write " + quotedPath(target), errno);
  }
  throw IoError("cannot write " + quotedPath(target) + ": no unused temporary name in the folder");
}

TemporaryFile::TemporaryFile(TemporaryFile&& other) noexcept
    : path_(std::move(other.path_)),
      descriptor_(std::exchange(other.descriptor_, -1)),
      installed_(std::exchange(other.installed_, true)) {
  other.path_.clear();
}

TemporaryFile& TemporaryFile::operator=(TemporaryFile&& other) noexcept {
  if (this != &other) {
    release();
    path_ = std::move(other.path_);
    other.path_.clear();
    descriptor_ = std::exchange(other.descriptor_, -1);
    installed_ = std::exchange(other.installed_, true);
  }
  return *this;
}

TemporaryFile::~TemporaryFile() { release(); }

void TemporaryFile::release() noexcept {
  if (descriptor_ >= 0) ::close(std::exchange(descriptor_, -1));
  if (!installed_ && !path_.empty()) ::unlink(path_.c_str());
  path_.clear();
}

std::filesystem::path TemporaryFile::reopenPath() const {
  return "/proc/self/fd/" + std::to_string(descriptor_);
}

bool isTemporaryFileName(const std::string& name) {
  const std::size_t suffixLength = std::char_traits<char>::length(kSuffix);
  // "." + stem (at least one character) + "." + digits + suffix
  if (name.size() < 3 + kRandomDigits + suffixLength || name[0] != '.') return false;
  if (name.compare(name.size() - suffixLength, suffixLength, kSuffix) != 0) return false;
  const std::size_t digitsStart = name.size() - suffixLength - kRandomDigits;
  if (name[digitsStart - 1] != '.') return false;
  for (std::size_t index = digitsStart; index < digitsStart + kRandomDigits; ++index)
    if (!isHexDigit(name[index])) return false;
  return true;
}

int removeAbandonedTemporaries(const std::filesystem::path& folder) {
  std::error_code error;
  std::filesystem::directory_iterator entries(folder, error);
  if (error) return 0;
  int removed = 0;
  for (const auto& entry : entries) {
    const std::string name = entry.path().filename().string();
    if (!isTemporaryFileName(name)) continue;
    struct stat status {};
    if (::lstat(entry.path().c_str(), &status) != 0) continue;
    if (!S_ISREG(status.st_mode) || status.st_uid != ::geteuid()) continue;
    if (::unlink(entry.path().c_str()) == 0) ++removed;
  }
  return removed;
}

}  // namespace mixdown::io
