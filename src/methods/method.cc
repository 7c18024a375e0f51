// Method helpers: see method.h.
#include "methods/method.h"

#include <cstdio>

namespace kesu {

std::string Pattern::ToString() const {
  switch (kind) {
    case Kind::kZero:
      return "zero";
    case Kind::kOne:
      return "one";
    case Kind::kRandom:
      return "random";
    case Kind::kBytes:
      break;
  }
  std::string s;
  for (uint8_t b : bytes) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%s0x%02X", s.empty() ? "" : " ", b);
    s += buf;
  }
  return s;
}

std::string VerifySpec::ToString() const {
  switch (mode) {
    case VerifyMode::kNone:
      return "none";
    case VerifyMode::kFull:
      return "full";
    case VerifyMode::kSample:
      return "sample:" + std::to_string(sample_percent);
  }
  return "none";
}

const char* NistCategoryName(NistCategory c) {
  switch (c) {
    case NistCategory::kClear:
      return "clear";
    case NistCategory::kPurge:
      return "purge";
    case NistCategory::kDestroy:
      return "destroy";
    case NistCategory::kNone:
      break;
  }
  return "none";
}

std::vector<Pass> Method::EffectivePasses() const {
  std::vector<Pass> p = passes;
  if (final_blank) p.push_back(Pass{Pattern{Pattern::Kind::kZero, {}}, true});
  return p;
}

NistCategory Method::CategoryFor(MediaType m) const {
  auto it = nist.find(m);
  return it == nist.end() ? NistCategory::kNone : it->second;
}

}  // namespace kesu
