#pragma once
// While alive, descriptor 2 points at /dev/null: a decoder library's own notes
// on standard error (mpg123 prints a line for every resync in a damaged MP3,
// "Note: Illegal Audio-MPEG-Header ...") no longer precede mixdown's one
// message about the file. Process-wide, so only for a probe on the main
// thread, where nothing else prints. A no-op in sanitizer builds, whose
// reports must never be silenced.

namespace mixdown::io {

class QuietLibraryOutput {
public:
  QuietLibraryOutput() noexcept;
  ~QuietLibraryOutput();
  QuietLibraryOutput(const QuietLibraryOutput&) = delete;
  QuietLibraryOutput& operator=(const QuietLibraryOutput&) = delete;

private:
  int savedDescriptor_ = -1;  // the real standard error, restored on destruction
};

}  // namespace mixdown::io
