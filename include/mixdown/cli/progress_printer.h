#pragma once
// A render's progress on stderr, in the form the place it goes to can take:
// on a terminal a bar redrawn in place (phase, percent, time left), at most
// ten times a second; into a file or a CI log a plain line at most every
// 5 s and at each phase, never a carriage return; as JSON lines
// (--progress=json) an object at most every second and at each phase.

#include <chrono>
#include <string>

#include "mixdown/render/render_progress.h"

namespace mixdown::cli {

enum class ProgressMode { Off, Bar, Lines, Json };

class ProgressPrinter {
public:
  ProgressPrinter(ProgressMode mode, std::string label);

  void update(const render::RenderProgress& progress);
  /** The render ended well: "done" and its time. */
  void finish();
  /** Something else is printed next (an error): a bar drawn ends its line first. */
  void interrupt();

private:
  using Clock = std::chrono::steady_clock;
  void print(const render::RenderProgress& progress);

  ProgressMode mode_;
  std::string label_;
  Clock::time_point started_;
  Clock::time_point phaseStarted_;
  Clock::time_point lastPrinted_;
  std::string phase_;
  bool printed_ = false;
  bool barOpen_ = false;  // a bar is drawn on the current line
};

}  // namespace mixdown::cli
