#include "mixdown/session/read_json.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <vector>

#include "mixdown/util/printable_text.h"

namespace mixdown::session {

namespace {

using nlohmann::json;

/**
 * Arrays and objects nested deeper than this are refused while parsing: a
 * session nests about 8 levels (an automation point of an insert's parameter),
 * and copying, comparing or printing a document recurses once per level, so a
 * limit keeps a hostile file from overflowing the stack.
 */
constexpr std::size_t kMaxNestingLevels = 64;

/** Thrown from the parser's callback to stop at the first value nested too deep. */
struct NestedTooDeep {
  std::string pointer;
};

/** A syntax error's message quotes at most this many bytes of the input it read. */
constexpr std::size_t kMaxQuotedInputBytes = 40;

/** Session files are at most this large (a 5000-track session is about 0.3 MB); stops /dev/zero. */
constexpr std::size_t kMaxSessionBytes = 64u << 20;

struct CloseFile {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};

/** Tracks where the parser is, to name repeated keys by JSON Pointer, and stops nesting past the limit. */
class DuplicateKeyFinder {
public:
  explicit DuplicateKeyFinder(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (frames_.size() == kMaxNestingLevels) throw NestedTooDeep{currentPointer()};
        frames_.push_back(Frame{event == json::parse_event_t::array_start, {}, {}, 0});
        break;
      case json::parse_event_t::key: {
        Frame& frame = frames_.back();
        const auto key = parsed.get<std::string>();
        frame.currentKey = key;
        if (!frame.keys.insert(key).second)
          diagnostics_.add(currentPointer(), "key " + quotedText(key) + " appears more than once in this object");
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

/**
 * nlohmann's message without its "[json.exception...] parse error at line L,
 * column C: " prefix, its "last read: '...'" quote of the input cut to its last
 * kMaxQuotedInputBytes bytes (a token may be a megabyte long) and shown as text.
 */
std::string syntaxMessage(const json::parse_error& error) {
  std::string message = error.what();
  const auto colon = message.find(": ");
  if (colon != std::string::npos) message = message.substr(colon + 2);
  const std::string quoteStart = "last read: '";
  const auto start = message.find(quoteStart);
  if (start == std::string::npos) return message;
  const auto quoteBegin = start + quoteStart.size();
  const auto quoteEnd = message.rfind("'; expected ");
  const auto end = quoteEnd == std::string::npos || quoteEnd < quoteBegin ? message.size() - 1 : quoteEnd;
  if (end < quoteBegin || message[end] != '\'') return message;
  std::string quoted = message.substr(quoteBegin, end - quoteBegin);
  const bool cut = quoted.size() > kMaxQuotedInputBytes;
  if (cut) quoted = quoted.substr(quoted.size() - kMaxQuotedInputBytes);
  return message.substr(0, quoteBegin) + (cut ? "..." : "") + printableText(quoted) + message.substr(end);
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
  } catch (const NestedTooDeep& tooDeep) {
    diagnostics.add(tooDeep.pointer, "arrays and objects nested more than " + std::to_string(kMaxNestingLevels) +
                                         " levels deep");
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
      const bool cut = literal.size() > kMaxQuotedInputBytes;
      message = "number " + literal.substr(0, kMaxQuotedInputBytes) + (cut ? "..." : "") + " is too large to be finite";
    }
    diagnostics.add(where, message);
    return std::nullopt;
  }
}

std::optional<json> readJsonFile(const std::filesystem::path& file, Diagnostics& diagnostics) {
  const auto cannotRead = [&](const std::string& reason) {
    diagnostics.add("", "cannot read the session file: " + reason);
    return std::nullopt;
  };
  std::error_code error;
  if (std::filesystem::is_directory(file, error)) return cannotRead("it is a directory");
  const std::unique_ptr<std::FILE, CloseFile> stream(std::fopen(file.c_str(), "rb"));
  if (!stream) return cannotRead(std::filesystem::exists(file, error) ? std::strerror(errno) : "no such file");
  std::string text;
  std::vector<char> buffer(1 << 16);
  for (;;) {
    const std::size_t count = std::fread(buffer.data(), 1, buffer.size(), stream.get());
    text.append(buffer.data(), count);
    if (text.size() > kMaxSessionBytes)
      return cannotRead("it is larger than " + std::to_string(kMaxSessionBytes >> 20) + " MB");
    if (count < buffer.size()) break;
  }
  if (std::ferror(stream.get())) return cannotRead(std::strerror(errno));
  return parseJsonText(text, diagnostics);
}

}  // namespace mixdown::session
