#include "mixdown/session/diagnostics.h"

#include "mixdown/util/printable_text.h"

namespace mixdown::session {

std::vector<std::string> Diagnostics::format(const std::string& sessionFile) const {
  std::vector<std::string> lines;
  lines.reserve(items_.size());
  for (const auto& item : items_) {
    std::string line = sessionFile + ": ";
    line += item.pointer.empty() ? "/" : shortenedText(item.pointer);  // a pointer through a huge key stays one line
    line += ": " + item.message;
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string childPointer(const std::string& pointer, const std::string& key) {
  std::string escaped;
  for (char character : key) {
    if (character == '~') escaped += "~0";
    else if (character == '/') escaped += "~1";
    else escaped += character;
  }
  return pointer + "/" + escaped;
}

std::string childPointer(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

}  // namespace mixdown::session
