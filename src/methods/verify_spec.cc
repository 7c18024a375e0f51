// The verify notation: see verify_spec.h.
#include "methods/verify_spec.h"

#include <cstdlib>

namespace kesu {

Result<VerifySpec> ParseVerifySpec(const std::string& text) {
  const size_t colon = text.find(':');
  const std::optional<VerifyMode> mode = Parse(kVerifyModeNames, text.substr(0, colon));
  // A percentage goes with sample, and only with sample.
  if (!mode || (*mode == VerifyMode::kSample) != (colon != std::string::npos)) {
    return Status::InvalidArgument("--verify " + text + ": use full, sample:PCT or none");
  }
  if (*mode != VerifyMode::kSample) return VerifySpec{*mode, 0};
  std::string pct = text.substr(colon + 1);
  if (!pct.empty() && pct.back() == '%') pct.pop_back();
  char* end = nullptr;
  long n = pct.empty() ? 0 : std::strtol(pct.c_str(), &end, 10);
  if (pct.empty() || *end != '\0' || !IsSamplePercent(n)) {
    return Status::InvalidArgument("--verify " + text +
                                   ": the sample percentage must be a whole number 1..100");
  }
  if (n == 100) return VerifySpec{VerifyMode::kFull, 0};
  return VerifySpec{VerifyMode::kSample, static_cast<uint32_t>(n)};
}

Result<VerifySpec> ResolveVerify(const Method& m, const std::optional<VerifySpec>& requested) {
  VerifySpec v = requested ? *requested : m.verify;
  if (v.mode == VerifyMode::kNone && !m.allow_verify_none) {
    return Status::InvalidArgument("method " + m.id +
                                   " requires verification; --verify none "
                                   "is allowed only for methods that permit it (e.g. zero, "
                                   "random); use --verify full or sample:PCT");
  }
  if (v.mode == VerifyMode::kSample && !IsSamplePercent(v.sample_percent)) {
    return Status::InvalidArgument("method " + m.id + ": sample percentage " +
                                   std::to_string(v.sample_percent) + " is outside 1..100");
  }
  return v;
}

}  // namespace kesu
