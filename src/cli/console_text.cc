// Console wording: see console_text.h.
#include "cli/console_text.h"

#include <cstdio>

#include "base/units.h"

namespace kesu {

std::string HumanBytes(uint64_t bytes) { return FormatBinarySize(bytes, SizeStyle::kWords); }

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
