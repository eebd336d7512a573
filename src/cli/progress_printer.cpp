#include "mixdown/cli/progress_printer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "mixdown/util/printable_text.h"

namespace mixdown::cli {

namespace {

std::chrono::milliseconds intervalOf(ProgressMode mode) {
  switch (mode) {
    case ProgressMode::Bar: return std::chrono::milliseconds(100);
    case ProgressMode::Lines: return std::chrono::milliseconds(5000);
    case ProgressMode::Json: return std::chrono::milliseconds(1000);
    case ProgressMode::Off: break;
  }
  return std::chrono::milliseconds(0);
}

std::string minutesAndSeconds(double seconds) {
  const auto whole = static_cast<long>(std::max(0.0, seconds) + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld", whole / 60, whole % 60);
  return text;
}

}  // namespace

ProgressPrinter::ProgressPrinter(ProgressMode mode, std::string label)
    : mode_(mode), label_(printableText(label)), started_(Clock::now()), phaseStarted_(started_), lastPrinted_(started_) {}

void ProgressPrinter::update(const render::RenderProgress& progress) {
  if (mode_ == ProgressMode::Off) return;
  const Clock::time_point now = Clock::now();
  const bool newPhase = progress.phase != phase_;
  if (newPhase) {
    phase_ = std::string(progress.phase);
    phaseStarted_ = now;
  } else if (printed_ && now - lastPrinted_ < intervalOf(mode_)) {
    return;
  }
  lastPrinted_ = now;
  printed_ = true;
  print(progress);
}

void ProgressPrinter::print(const render::RenderProgress& progress) {
  const double fraction = std::clamp(static_cast<double>(progress.framesDone) / static_cast<double>(std::max<std::int64_t>(1, progress.framesTotal)), 0.0, 1.0);
  const int percent = static_cast<int>(fraction * 100.0);
  if (mode_ == ProgressMode::Json) {
    const nlohmann::ordered_json line{{"progress",
                                       {{"render", label_}, {"phase", phase_}, {"frames_done", progress.framesDone},
                                        {"frames_total", progress.framesTotal}, {"fraction", std::round(fraction * 1000.0) / 1000.0}}}};
    std::fprintf(stderr, "%s\n", line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    return;
  }
  std::string text = label_ + ": " + phase_ + " " + std::to_string(percent) + "%";
  const double elapsed = std::chrono::duration<double>(Clock::now() - phaseStarted_).count();
  if (progress.framesDone > progress.framesTotal) text += " (the tail)";
  else if (fraction > 0.02 && elapsed > 1.0) text += ", about " + minutesAndSeconds(elapsed / fraction - elapsed) + " left";
  if (mode_ == ProgressMode::Lines) {
    std::fprintf(stderr, "%s\n", text.c_str());
    return;
  }
  std::fprintf(stderr, "\r%-60s", text.c_str());
  std::fflush(stderr);
  barOpen_ = true;
}

void ProgressPrinter::finish() {
  if (mode_ == ProgressMode::Off) return;
  const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  if (mode_ == ProgressMode::Json) {
    const nlohmann::ordered_json line{{"progress", {{"render", label_}, {"phase", "done"}, {"seconds", std::round(seconds * 100.0) / 100.0}}}};
    std::fprintf(stderr, "%s\n", line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    return;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", seconds);
  const std::string done = label_ + ": done in " + text + " s";
  if (mode_ == ProgressMode::Bar) std::fprintf(stderr, "\r%-60s\n", done.c_str());
  else std::fprintf(stderr, "%s\n", done.c_str());
  barOpen_ = false;
}

void ProgressPrinter::interrupt() {
  if (!barOpen_) return;
  std::fprintf(stderr, "\n");
  barOpen_ = false;
}

}  // namespace mixdown::cli
