#pragma once
// Standard output for the whole process: std::cout writes through a buffer
// of its own straight to descriptor 1, remembering the first write error, so
// the end of every command can tell whether what it printed arrived. A full
// disk (`mixdown schema > schema.json`), /dev/full or a closed pipe would
// otherwise cut the output short with exit status 0.

#include <array>
#include <streambuf>

namespace mixdown::cli {

class StandardOutput : public std::streambuf {
public:
  /** Makes std::cout write through this; restores its previous buffer on destruction. */
  StandardOutput();
  ~StandardOutput() override;
  StandardOutput(const StandardOutput&) = delete;
  StandardOutput& operator=(const StandardOutput&) = delete;

  /**
   * Flushes. Returns status if everything printed was written; otherwise
   * prints why and returns 75 (a full disk or an I/O error: a retry may cure
   * it) or 1, or, when the reader went away (EPIPE), 141 silently.
   */
  int finish(int status);

protected:
  int_type overflow(int_type character) override;
  int sync() override;

private:
  bool drain() noexcept;

  std::array<char, 1 << 16> buffer_{};
  std::streambuf* previous_ = nullptr;
  int firstError_ = 0;  // errno of the first failed write, 0 if none
};

}  // namespace mixdown::cli
