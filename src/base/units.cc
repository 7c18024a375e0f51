// See units.h.
#include "base/units.h"

#include <cstdio>

namespace kesu {

std::string FormatBinarySize(uint64_t bytes, SizeStyle style) {
  static const char* kWords[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  static const char* kShort[] = {"B", "K", "M", "G", "T", "P", "E"};
  const char* const* units = style == SizeStyle::kWords ? kWords : kShort;
  const char* sep = style == SizeStyle::kWords ? " " : "";
  if (bytes < 1024) return std::to_string(bytes) + sep + units[0];
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 6) {
    v /= 1024.0;
    ++u;
  }
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  std::string s = b;
  if (s.ends_with(".0")) s.resize(s.size() - 2);
  return s + sep + units[u];
}

std::string GroupDigits(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string s;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(digits[i]);
  }
  return s;
}

}  // namespace kesu
