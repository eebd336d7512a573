#pragma once
// docs/reference.md, written from the tables of params.h (the validator's and `mixdown schema`'s
// source): every key of every session object, processor type and output option, with its type,
// unit, range, default and meaning. tests check that the committed file equals this text.

#include <string>

namespace mixdown::session {

std::string referenceMarkdown();

}  // namespace mixdown::session
