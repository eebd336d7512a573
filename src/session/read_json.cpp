#include "mixdown/session/read_json.h"

#include <cctype>
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

/**
 * A SAX pass over the text before the document is built: it tracks where the
 * parser is, to name repeated keys by JSON Pointer, stops nesting past the
 * limit, and throws the parser's own exceptions for syntax errors. (nlohmann's
 * parse callback would do the same, but at the end of every object it searches
 * the enclosing array from its start: quadratic in an array of objects.)
 */
class DuplicateKeyFinder {
public:
  explicit DuplicateKeyFinder(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

  bool null() { return elementDone(); }
  bool boolean(bool) { return elementDone(); }
  bool number_integer(json::number_integer_t) { return elementDone(); }
  bool number_unsigned(json::number_unsigned_t) { return elementDone(); }
  bool number_float(json::number_float_t, const json::string_t&) { return elementDone(); }
  bool string(json::string_t&) { return elementDone(); }
  bool binary(json::binary_t&) { return elementDone(); }
  bool start_object(std::size_t) { return open(false); }
  bool start_array(std::size_t) { return open(true); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(json::string_t& key) {
    Frame& frame = frames_.back();
    frame.currentKey = key;
    if (!frame.keys.insert(key).second)
      diagnostics_.add(currentPointer(), "key " + quotedText(key) + " appears more than once in this object");
    return true;
  }
  /** Throws what the parser found (a json::parse_error, or json::out_of_range for 1e999), as json::parse does. */
  template <class Exception>
  bool parse_error(std::size_t /*byte*/, const std::string& /*token*/, const Exception& error) {
    throw error;
  }

private:
  struct Frame {
    bool isArray;
    std::set<std::string> keys;
    std::string currentKey;
    std::size_t nextIndex;
  };

  bool open(bool isArray) {
    if (frames_.size() == kMaxNestingLevels) throw NestedTooDeep{currentPointer()};
    frames_.push_back(Frame{isArray, {}, {}, 0});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return elementDone();
  }
  bool elementDone() {
    if (!frames_.empty() && frames_.back().isArray) ++frames_.back().nextIndex;
    return true;
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

/**
 * The slip a syntax error most likely comes from, judged from the character the parser stopped at
 * (byte is 1-based, as json::parse_error's): a comment, a comma before a closing bracket, single
 * quotes, a missing comma; empty when none fits.
 */
std::string likelyCause(const std::string& text, std::size_t byte, const std::string& message) {
  if (byte == 0 || byte > text.size()) return {};
  const char stoppedAt = text[byte - 1];
  if (stoppedAt == '/' || stoppedAt == '#')
    return "JSON has no comments; comments are keys that begin with '_' (\"_comment\": \"...\")";
  if (stoppedAt == '}' || stoppedAt == ']') {
    std::size_t before = byte - 1;
    while (before > 0 && std::isspace(static_cast<unsigned char>(text[before - 1]))) --before;
    if (before > 0 && text[before - 1] == ',') return "a trailing comma: JSON allows none after the last element";
  }
  if (stoppedAt == '\'') return "JSON strings take double quotes";
  if (message.find("expected '}'") != std::string::npos || message.find("expected ']'") != std::string::npos)
    return "a missing comma before it?";
  return {};
}

}  // namespace

std::optional<json> parseJsonText(const std::string& text, Diagnostics& diagnostics) {
  Diagnostics duplicates;
  try {
    DuplicateKeyFinder finder(duplicates);
    json::sax_parse(text, &finder);
    diagnostics.append(duplicates);
    if (!duplicates.empty()) return std::nullopt;
    return json::parse(text);  // known sound: linear, and nested at most kMaxNestingLevels deep
  } catch (const json::parse_error& error) {
    std::string message = syntaxMessage(error);
    if (const std::string cause = likelyCause(text, error.byte, message); !cause.empty())
      message.append(" (").append(cause).append(")");
    diagnostics.add(lineAndColumn(text, error.byte), message);
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
