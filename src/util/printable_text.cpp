#include "mixdown/util/printable_text.h"

#include <array>

namespace mixdown {

namespace {

/** Bytes in the well-formed UTF-8 sequence at text[index] (RFC 3629, table 3-7 of Unicode), 0 if none. */
std::size_t utf8SequenceBytes(std::string_view text, std::size_t index) {
  const auto byte = [&](std::size_t offset) { return static_cast<unsigned char>(text[index + offset]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char secondMin = 0x80;
  unsigned char secondMax = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) secondMin = 0xA0;  // no overlong forms
    if (lead == 0xED) secondMax = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) secondMin = 0x90;  // no overlong forms
    if (lead == 0xF4) secondMax = 0x8F;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (index + length > text.size()) return 0;
  if (byte(1) < secondMin || byte(1) > secondMax) return 0;
  for (std::size_t offset = 2; offset < length; ++offset)
    if (byte(offset) < 0x80 || byte(offset) > 0xBF) return 0;
  return length;
}

void appendHexEscape(std::string& out, unsigned char byte) {
  constexpr std::array<char, 16> kDigits{'0', '1', '2', '3', '4', '5', '6', '7',
                                         '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  out += "\\x";
  out += kDigits[byte >> 4];
  out += kDigits[byte & 0x0F];
}

}  // namespace

std::string printableText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t index = 0;
  while (index < text.size()) {
    const auto byte = static_cast<unsigned char>(text[index]);
    if (byte >= 0x20 && byte < 0x7F) {
      out += static_cast<char>(byte);
      ++index;
    } else if (byte == '\n') {
      out += "\\n";
      ++index;
    } else if (byte == '\r') {
      out += "\\r";
      ++index;
    } else if (byte == '\t') {
      out += "\\t";
      ++index;
    } else if (const std::size_t length = byte >= 0x80 ? utf8SequenceBytes(text, index) : 0; length > 0) {
      out.append(text.substr(index, length));
      index += length;
    } else {
      appendHexEscape(out, byte);
      ++index;
    }
  }
  return out;
}

std::string shortenedText(std::string_view text) {
  if (text.size() <= kMaxQuotedTextBytes) return printableText(text);
  return printableText(text.substr(0, kMaxQuotedTextBytes)) + "... (" + std::to_string(text.size()) + " bytes)";
}

std::string quotedText(std::string_view text) {
  const bool cut = text.size() > kMaxQuotedTextBytes;
  std::string quoted(1, '"');
  quoted += printableText(cut ? text.substr(0, kMaxQuotedTextBytes) : text);
  quoted += cut ? "...\" (" + std::to_string(text.size()) + " bytes)" : std::string(1, '"');
  return quoted;
}

}  // namespace mixdown
