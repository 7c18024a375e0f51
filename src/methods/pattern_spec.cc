// The pattern notation: see pattern_spec.h.
#include "methods/pattern_spec.h"

#include <cctype>

namespace kesu {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::optional<Pattern> ParsePatternWord(std::string_view text) {
  if (auto kind = Parse(kPatternNames, text)) return Pattern{*kind, {}};
  if (text.size() != 4 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) {
    return std::nullopt;
  }
  const int hi = HexDigit(text[2]), lo = HexDigit(text[3]);
  if (hi < 0 || lo < 0) return std::nullopt;
  return Pattern{Pattern::Kind::kBytes, {static_cast<uint8_t>(hi << 4 | lo)}};
}

}  // namespace kesu
