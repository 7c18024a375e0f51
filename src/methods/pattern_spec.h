// The pattern notation: the words a method file's `pattern` string and `kesu verify --expect`
// use for a fill. One parser for both, so a pattern is spelled the same everywhere.
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <string_view>

#include "methods/method.h"

namespace kesu {

// Parses one pattern word: a name from kPatternNames ("zero", "one", "random") or one byte
// written "0xNN" (two hex digits, 'x' or 'X'), which is returned as Kind::kBytes holding that
// byte as written ("0x00" stays kBytes {0x00}; a caller that wants one spelling per fill maps
// it, as the method parser does). nullopt for anything else; callers word their own error.
std::optional<Pattern> ParsePatternWord(std::string_view text);

}  // namespace kesu
