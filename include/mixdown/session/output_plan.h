#pragma once
// Where a render writes: the output folder ({session} expanded, or -o), the
// mix, each stem and the report, checked against the inputs and each other.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mixdown/session/diagnostics.h"
#include "mixdown/session/model.h"

namespace mixdown::session {

struct PlannedFile {
  enum class Kind { Mix, Stem, Page, Report };  // Page: outputs.html
  Kind kind = Kind::Mix;
  std::string name;              // "mix", the stem's track or bus, "page" or "report"
  std::filesystem::path path;    // where it is written
  std::filesystem::path shownPath;  // relative to the output folder, for the report
  std::string pointer;           // what in the session asked for it
  const FileOutput* format = nullptr;  // none for the report and the page

  /** An audio file (the mix or a stem), not a text file (the page, the report). */
  bool isAudio() const noexcept { return format != nullptr; }
};

struct OutputPlanOptions {
  std::optional<std::filesystem::path> dirOverride;  // -o DIR
  std::string variant;                               // "" for the main render
  bool mix = true;
  bool stems = true;
};

struct OutputPlan {
  std::filesystem::path dir;
  std::vector<PlannedFile> files;

  /** The folders the files go into, each once, in the files' order. */
  std::vector<std::filesystem::path> folders() const;
};

/** Plans the files; reports an output that is also an input, or that two outputs share. */
OutputPlan planOutputs(const Session& session, const OutputPlanOptions& options, Diagnostics& diagnostics);

/** The stem names `of` selects, in session order (tracks, then buses). */
std::vector<std::string> stemNames(const Session& session, const StemsOutput& stems);

}  // namespace mixdown::session
