#include "mixdown/session/read_json.h"

#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace mixdown::session {

namespace {

using nlohmann::json;

/** Tracks where the parser is, to name repeated keys by JSON Pointer. */
class DuplicateKeyFinder {
public:
  explicit DuplicateKeyFinder(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: frames_.push_back(Frame{false, {}, {}, 0}); break;
      case json::parse_event_t::array_start: frames_.push_back(Frame{true, {}, {}, 0}); break;
      case json::parse_event_t::key: {
        Frame& frame = frames_.back();
        const auto key = parsed.get<std::string>();
        frame.currentKey = key;
        if (!frame.keys.insert(key).second)
          diagnostics_.add(currentPointer(), "key \"" + key + "\" appears more than once in this object");
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        frames_.pop_back();
        elementDone();
        break;
      case json::parse_event_t::value: elementDone(); break;
    }
    return true;
  }

private:
  struct Frame {
    bool isArray;
    std::set<std::string> keys;
    std::string currentKey;
    std::size_t nextIndex;
  };

  void elementDone() {
    if (!frames_.empty() && frames_.back().isArray) ++frames_.back().nextIndex;
  }
  std::string currentPointer() const {
    std::string pointer;
    for (const auto& frame : frames_)
      pointer = frame.isArray ? childPointer(pointer, frame.nextIndex) : childPointer(pointer, frame.currentKey);
    return pointer;
  }

  Diagnostics& diagnostics_;
  std::vector<Frame> frames_;
};

std::string lineAndColumn(const std::string& text, std::size_t byte) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t index = 0; index + 1 < byte && index < text.size(); ++index) {
    if (text[index] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/** nlohmann's message without its "[json.exception...] parse error at line L, column C: " prefix. */
std::string syntaxMessage(const json::parse_error& error) {
  std::string message = error.what();
  const auto colon = message.find(": ");
  if (colon != std::string::npos) message = message.substr(colon + 2);
  return message;
}

}  // namespace

std::optional<json> parseJsonText(const std::string& text, Diagnostics& diagnostics) {
  Diagnostics duplicates;
  try {
    DuplicateKeyFinder finder(duplicates);
    json document = json::parse(text, std::ref(finder));
    diagnostics.append(duplicates);
    if (!duplicates.empty()) return std::nullopt;
    return document;
  } catch (const json::parse_error& error) {
    diagnostics.add(lineAndColumn(text, error.byte), syntaxMessage(error));
    return std::nullopt;
  } catch (const json::out_of_range& error) {
    // A number beyond the range of a double (1e999): nlohmann names the literal but not its place.
    std::string message = error.what();
    const auto quote = message.find('\'');
    const auto endQuote = quote == std::string::npos ? std::string::npos : message.find('\'', quote + 1);
    std::string where = "line 1, column 1";
    if (endQuote != std::string::npos) {
      const std::string literal = message.substr(quote + 1, endQuote - quote - 1);
      const auto position = text.find(literal);
      if (position != std::string::npos) where = lineAndColumn(text, position + 1);
      message = "number " + literal + " is too large to be finite";
    }
    diagnostics.add(where, message);
    return std::nullopt;
  }
}

std::optional<json> readJsonFile(const std::filesystem::path& file, Diagnostics& diagnostics) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    diagnostics.add("", std::string("cannot read the session file: ") +
                            (std::filesystem::exists(file) ? std::strerror(errno) : "no such file"));
    return std::nullopt;
  }
  std::ostringstream contents;
  contents << stream.rdbuf();
  return parseJsonText(contents.str(), diagnostics);
}

}  // namespace mixdown::session
