// Refusal formatting: see refusal.h.
#include "devices/refusal.h"

namespace kesu {

std::string FormatRefusal(const Refusal& r) {
  return r.fix.empty() ? r.detail : r.detail + "; " + r.fix;
}

std::string FormatRefusal(const std::optional<Refusal>& r) {
  return r ? FormatRefusal(*r) : std::string();
}

}  // namespace kesu
