#pragma once
// Renders a loaded session: plans the outputs, builds and runs the graph,
// writes the mix, stems and report through temporary files, and renames them
// into place only when everything succeeded.

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "mixdown/graph/plan.h"
#include "mixdown/render/render_progress.h"
#include "mixdown/render/render_warnings.h"
#include "mixdown/session/diagnostics.h"
#include "mixdown/session/load.h"

namespace mixdown::render {

struct RenderOptions {
  std::optional<std::filesystem::path> outputDir;  // -o DIR
  std::string variant;                             // "" for the main render
  bool mix = true;
  bool stems = true;
  bool dryRun = false;  // plan and check, write nothing
  std::vector<std::string> failOn;  // warning kinds that fail the render (render_warnings.h); {"all"} for --strict
  bool clean = false;   // --clean: remove what earlier renders wrote into the folder first (render/output_manifest.h)
  bool force = false;   // --force: write every output, even those up to date (render/output_recipes.h)
  std::optional<double> maxLengthS;  // --max-length-s: refuse a longer render; an automatic tail stops there
  int threads = 1;
  int blockFrames = 4096;
  graph::PlanOptions planOptions;  // the plan's rewrites (the hidden --no-lane-groups, --no-placed-sums): the same bits
  std::function<void(const RenderProgress&)> progress;   // called between blocks, in each phase
  // What the user should know that is not in the report: waiting for another render's folder lock,
  // fewer worker threads than asked.
  std::function<void(const std::string& message)> notice;
};

/** Problems with the session's outputs found before rendering (pointer + message). */
class OutputProblems : public std::runtime_error {
public:
  explicit OutputProblems(session::Diagnostics diagnostics)
      : std::runtime_error("invalid outputs"), diagnostics_(std::move(diagnostics)) {}
  const session::Diagnostics& diagnostics() const noexcept { return diagnostics_; }

private:
  session::Diagnostics diagnostics_;
};

struct RenderResult {
  nlohmann::ordered_json report;
  std::filesystem::path outputDir;
  std::vector<std::filesystem::path> written;  // files renamed into place (none for a dry run or an up-to-date render)
  std::vector<RenderWarning> warnings;          // report.json's warnings[], with their codes and pointers
};

/**
 * Throws OutputProblems (bad outputs), IoError (reading or writing failed),
 * RenderError, WarningsAsErrors (options.failOn), or Cancelled (util/cancellation.h: a signal asked to stop,
 * checked between blocks and in every long phase).
 */
RenderResult renderSession(const session::LoadedSession& loaded, const RenderOptions& options);

class RenderError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

}  // namespace mixdown::render
