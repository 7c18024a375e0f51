// Console wording: see console_text.h.
#include "cli/console_text.h"

#include <cstdio>

namespace kesu {

std::string HumanBytes(uint64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
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
  return s + " " + kUnits[u];
}

std::string HumanDuration(uint64_t s) {
  if (s < 60) return std::to_string(s) + " s";
  if (s < 3600) return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
  return std::to_string(s / 3600) + " h " + std::to_string(s / 60 % 60) + " min";
}

std::string SummaryLine(const EraseTally& t, uint64_t seconds) {
  std::string s = std::to_string(t.succeeded) + " of " + std::to_string(t.total) + " succeeded";
  if (t.failed > 0) s += ", " + std::to_string(t.failed) + " failed";
  if (t.interrupted > 0) s += ", " + std::to_string(t.interrupted) + " interrupted";
  if (t.partial > 0) s += ", " + std::to_string(t.partial) + " partial";
  return s + ", " + HumanDuration(seconds);
}

}  // namespace kesu
