#include "mixdown/session/output_plan.h"

#include <algorithm>

#include <unistd.h>

#include <map>
#include <set>

#include "mixdown/io/audio_file_writer.h"
#include "mixdown/session/input_files.h"
#include "mixdown/session/params.h"
#include "mixdown/session/validate.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::session {

namespace {

namespace fs = std::filesystem;

std::string replaceAll(std::string text, const std::string& placeholder, const std::string& value) {
  for (auto position = text.find(placeholder); position != std::string::npos;
       position = text.find(placeholder, position + value.size()))
    text.replace(position, placeholder.size(), value);
  return text;
}

/** The path with symbolic links and dot segments resolved, for comparisons. */
fs::path canonicalForm(const fs::path& path) {
  std::error_code error;
  fs::path resolved = fs::weakly_canonical(fs::absolute(path), error);
  return error ? fs::absolute(path).lexically_normal() : resolved;
}

std::set<fs::path> inputPaths(const Session& session) {
  std::set<fs::path> inputs;
  for (const fs::path& file : inputFiles(session)) inputs.insert(canonicalForm(file));
  return inputs;
}

/** The container follows the extension and must hold the bit depth and rate asked for. */
void checkFormats(const OutputPlan& plan, Diagnostics& problems) {
  for (const auto& file : plan.files) {
    if (!file.format) continue;
    const std::string container = io::containerForPath(file.path);
    if (container.empty()) {
      problems.add(file.pointer, "unknown audio format \"" + file.path.extension().string() +
                                     "\" (use .wav, .flac, .aiff, .ogg, .mp3, .w64 or .rf64)");
    } else if (!io::containerSupports(container, file.format->bitDepth)) {
      problems.add(childPointer(file.format->pointer, "bit_depth"),
                   "the " + container + " format cannot hold this bit depth");
    }
  }
}

/** Whether the folder exists or could be created, and files could be written in it. */
void checkFolder(const fs::path& folder, const std::string& pointer, Diagnostics& problems) {
  fs::path existing = fs::absolute(folder).lexically_normal();
  std::error_code error;
  while (!fs::exists(existing, error) && existing.has_parent_path() && existing != existing.parent_path())
    existing = existing.parent_path();
  if (!fs::is_directory(existing, error)) {
    problems.add(pointer, "cannot create the folder \"" + folder.string() + "\": \"" + existing.string() +
                              "\" is not a folder");
  } else if (access(existing.c_str(), W_OK | X_OK) != 0) {
    problems.add(pointer, "cannot write in the folder \"" + existing.string() + "\": permission denied");
  }
}

}  // namespace

std::vector<std::string> stemNames(const Session& session, const StemsOutput& stems) {
  std::vector<std::string> names;
  const bool tracks = stems.of == StemsOutput::Of::Tracks || stems.of == StemsOutput::Of::All;
  const bool buses = stems.of == StemsOutput::Of::Buses || stems.of == StemsOutput::Of::All;
  if (stems.of == StemsOutput::Of::List) return stems.names;
  if (tracks)
    for (const auto& track : session.tracks) names.push_back(track.name);
  if (buses)
    for (const auto& bus : session.buses) names.push_back(bus.name);
  return names;
}

OutputPlan planOutputs(const Session& session, const OutputPlanOptions& options, Diagnostics& diagnostics) {
  OutputPlan plan;
  const std::string sessionName = session.file.stem().string();
  plan.dir = options.dirOverride ? *options.dirOverride
                                 : session.baseDir / replaceAll(session.outputs.dir, "{session}", sessionName);
  if (!options.variant.empty()) plan.dir = plan.dir / "variants" / options.variant;

  auto add = [&](PlannedFile::Kind kind, const std::string& name, const fs::path& shown, const std::string& pointer,
                 const FileOutput* format) {
    plan.files.push_back(PlannedFile{kind, name, plan.dir / shown, shown, pointer, format});
  };
  if (options.mix && session.outputs.mix)
    add(PlannedFile::Kind::Mix, "mix", session.outputs.mix->file, childPointer(session.outputs.mix->pointer, "file"),
        &*session.outputs.mix);
  if (options.stems && session.outputs.stems) {
    const StemsOutput& stems = *session.outputs.stems;
    std::set<std::string> known;
    for (const auto& track : session.tracks) known.insert(track.name);
    for (const auto& bus : session.buses) known.insert(bus.name);
    const auto names = stemNames(session, stems);
    for (std::size_t index = 0; index < names.size(); ++index) {
      if (!known.count(names[index])) {
        std::vector<std::string> candidates(known.begin(), known.end());
        std::string message = "no track or bus named \"" + names[index] + "\"";
        if (const auto suggestion = closestMatch(names[index], candidates))
          message += " (did you mean \"" + *suggestion + "\"?)";
        diagnostics.add(childPointer(childPointer(stems.pointer, "of"), index), message);
        continue;
      }
      add(PlannedFile::Kind::Stem, names[index], fs::path(stems.dir) / replaceAll(stems.file, "{name}", names[index]),
          childPointer(stems.pointer, "file"), &stems);
    }
  }
  if (session.outputs.html) add(PlannedFile::Kind::Page, "page", *session.outputs.html, "/outputs/html", nullptr);
  add(PlannedFile::Kind::Report, "report", session.outputs.report, "/outputs/report", nullptr);

  // Every file inside the output folder (which the render locks), and of a length the system can open;
  // the checks below take time with a path's length.
  bool pathsFit = true;
  for (const auto& file : plan.files) {
    const fs::path inside = file.shownPath.lexically_normal();
    if (inside.is_absolute() || (!inside.empty() && *inside.begin() == "..")) {
      diagnostics.add(file.pointer, quotedText(file.shownPath.string()) +
                                        " leaves the output folder (outputs stay inside it: no absolute path, no "
                                        "\"..\" out of it)");
      pathsFit = false;
    } else if (file.path.native().size() > kMaxPathBytes) {
      diagnostics.add(file.pointer, "the path " + quotedText(file.path.string()) + " is longer than the " +
                                        std::to_string(kMaxPathBytes) + " bytes a path may have");
      pathsFit = false;
    }
  }
  if (!pathsFit) return plan;

  checkFormats(plan, diagnostics);
  std::set<fs::path> folders;
  for (const auto& file : plan.files)
    if (folders.insert(file.path.parent_path()).second) checkFolder(file.path.parent_path(), file.pointer, diagnostics);
  const std::set<fs::path> inputs = inputPaths(session);
  std::map<fs::path, std::string> claimed;
  for (const auto& file : plan.files) {
    const fs::path resolved = canonicalForm(file.path);
    if (inputs.count(resolved)) {
      diagnostics.add(file.pointer, "output \"" + file.path.string() + "\" is also an input of the session");
      continue;
    }
    const auto [existing, inserted] = claimed.emplace(resolved, file.name);
    if (!inserted)
      diagnostics.add(file.pointer, "output \"" + file.path.string() + "\" is written twice (by " + existing->second +
                                        " and " + file.name + ")");
  }
  return plan;
}

std::vector<std::filesystem::path> OutputPlan::folders() const {
  std::vector<std::filesystem::path> found;
  for (const auto& file : files) {
    std::filesystem::path folder = file.path.parent_path().empty() ? std::filesystem::path(".") : file.path.parent_path();
    if (std::find(found.begin(), found.end(), folder) == found.end()) found.push_back(std::move(folder));
  }
  return found;
}

}  // namespace mixdown::session
