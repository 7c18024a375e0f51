// Method helpers: see method.h.
#include "methods/method.h"

#include <algorithm>
#include <cstdio>

namespace kesu {

std::string Pattern::ToString() const {
  if (kind != Kind::kBytes) return NameOf(kPatternNames, kind);
  std::string s;
  for (uint8_t b : bytes) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%s0x%02X", s.empty() ? "" : " ", b);
    s += buf;
  }
  return s;
}

std::string VerifySpec::ToString() const {
  std::string s = NameOf(kVerifyModeNames, mode);
  if (mode == VerifyMode::kSample) {
    s += ':';
    s += std::to_string(sample_percent);
  }
  return s;
}

const char* NistCategoryName(NistCategory c) { return NameOf(kNistCategoryNames, c); }

const char* MethodKindName(MethodKind k) { return NameOf(kMethodKindNames, k); }

std::vector<Pass> Method::EffectivePasses() const {
  std::vector<Pass> p;
  for (uint32_t r = 0; r < std::max<uint32_t>(rounds, 1); ++r)
    p.insert(p.end(), passes.begin(), passes.end());
  if (final_blank) p.push_back(Pass{Pattern{Pattern::Kind::kZero, {}}, true});
  return p;
}

NistCategory Method::CategoryFor(MediaType m) const {
  auto it = nist.find(m);
  return it == nist.end() ? NistCategory::kNone : it->second;
}

bool Method::RestoresNativeCapacity() const {
  return restore_native_capacity.value_or(kind != MethodKind::kRecord);
}

}  // namespace kesu
