// The verify notation: what the final verification reads back. Two spellings of one thing —
// the command line's --verify "full", "none" or "sample:PCT", and a method file's [verify]
// table (mode = "full" | "sample" | "none", percent = PCT) — share the mode words
// (kVerifyModeNames in methods/method.h) and the percentage rule here; this is the only place
// either is parsed. ResolveVerify picks between the command line and the method.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "methods/method.h"

namespace kesu {

// True when `pct` is a sample percentage kesu accepts: a whole number 1..100.
constexpr bool IsSamplePercent(int64_t pct) { return pct >= 1 && pct <= 100; }

// Parses "full", "none" or "sample:PCT" (PCT 1..100, an optional trailing '%'; sample:100 is
// full). kInvalidArgument "--verify TEXT: ..." otherwise.
Result<VerifySpec> ParseVerifySpec(const std::string& text);

// The verification to run: `requested` (from --verify) or the method's own. kInvalidArgument
// when `none` is requested and the method does not allow it (Method::allow_verify_none), or
// when a sample percentage is outside 1..100.
Result<VerifySpec> ResolveVerify(const Method& m, const std::optional<VerifySpec>& requested);

}  // namespace kesu
