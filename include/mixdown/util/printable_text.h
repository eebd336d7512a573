#pragma once
// Text from an input (a name, a key, a path, a quote of a broken file) made
// safe to print in a one-line message: control characters and bytes that are
// not UTF-8 become escapes, so a message never spans lines, moves the cursor
// or feeds a terminal invalid text.

#include <string>
#include <string_view>

namespace mixdown {

/**
 * text with \n, \r, \t as such, other control characters (U+0000-U+001F,
 * U+007F) and every byte outside a well-formed UTF-8 sequence as \xHH;
 * printable ASCII and well-formed UTF-8 unchanged.
 */
std::string printableText(std::string_view text);

/** quotedText shows at most this many bytes of its text. */
inline constexpr std::size_t kMaxQuotedTextBytes = 256;

/** printableText of at most kMaxQuotedTextBytes bytes of text, with "... (N bytes)" when it was longer. */
std::string shortenedText(std::string_view text);

/**
 * printableText in double quotes, "vox lead"; text longer than
 * kMaxQuotedTextBytes shows its start: "xxxx..."... (1048576 bytes).
 */
std::string quotedText(std::string_view text);

}  // namespace mixdown
