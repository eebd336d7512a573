#include "mixdown/cli/depfile.h"

#include <set>

#include "mixdown/io/sound_file.h"
#include "mixdown/io/text_output.h"
#include "mixdown/util/error.h"

namespace mixdown::cli {

namespace {

/** A path as make reads it: '$' doubled, a space, '#' or a backslash before one escaped with a backslash. */
std::string escaped(const std::filesystem::path& path) {
  std::string text;
  for (const char c : path.generic_string()) {
    if (c == '$') text += '$';
    else if (c == ' ' || c == '\t' || c == '#' || c == '\\') text += '\\';
    text += c;
  }
  return text;
}

}  // namespace

std::string depfileText(const std::vector<DepfileRule>& rules) {
  std::string text;
  std::set<std::string> inputs;  // each input's empty rule once
  std::vector<std::string> inputOrder;
  for (const DepfileRule& rule : rules) {
    for (std::size_t at = 0; at < rule.targets.size(); ++at) {
      if (at) text += ' ';
      text += escaped(rule.targets[at]);
    }
    text += ':';
    for (const auto& input : rule.prerequisites) {
      text += " \\\n  " + escaped(input);
      if (inputs.insert(escaped(input)).second) inputOrder.push_back(escaped(input));
    }
    text += '\n';
  }
  for (const std::string& input : inputOrder) text.append("\n").append(input).append(":\n");
  return text;
}

void writeDepfile(const std::filesystem::path& path, const std::vector<DepfileRule>& rules) {
  std::error_code error;  // its folder made first, as a build system expects (renders/NAME.d)
  if (!path.parent_path().empty()) std::filesystem::create_directories(path.parent_path(), error);
  if (error) throw ioErrorFromErrno("cannot create the folder of the depfile " + io::quotedPath(path), error.value());
  io::replaceTextFile(path, depfileText(rules));
}

}  // namespace mixdown::cli
