// Verification and inspection without an erasure: `kesu verify` (does the target hold the
// expected fill?) and `kesu inspect` (is it already erased?). Both read through the same
// RegionReader as the engine's verifier (verify/region_reader.h), read-only, and never keep
// or report device data: only counts, offsets, classifications and a digest.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "devices/device.h"
#include "env/env.h"
#include "methods/method.h"
#include "verify/inspection.h"
#include "verify/region_reader.h"
#include "verify/verification_record.h"

namespace kesu {

struct ReadOnlyOptions {
  uint32_t sample_percent = 100;  // 100 = every byte; else a sample (verify/sample_plan.h)
  uint64_t seed = 0;              // sample seed; 0 = from RAND_bytes
  ReaderOptions reader;
  const std::atomic<bool>* stop = nullptr;
};

// Parses --expect: "zero", "one" or a byte "0xNN". kInvalidArgument otherwise.
Result<Pattern> ParseExpectedFill(const std::string& text);

// Reads the target (all, or a sample), compares it with `expected` (when given: without, only
// the content digest is taken and `expected` reads "none") and fills the record's digest and
// leaves (verify/region_digest.h). The record's
// bytes_read equals bytes_planned when the plan was read to its end. kInterrupted when
// stopped; open failures as returned by Env::OpenBlock.
Result<VerificationRecord> VerifyTarget(Env* env, const DeviceInfo& dev,
                                        const std::optional<Pattern>& expected,
                                        const ReadOnlyOptions& opts);

// Opens the target read-only and inspects it (verify/inspection.h InspectOpenTarget), with
// opts.layout, or else the layout libblkid reads from dev.path (devices/layout.h; none when it
// cannot). Open failures as returned by Env::OpenBlock.
Result<InspectReport> InspectTarget(Env* env, const DeviceInfo& dev, const InspectOptions& opts);

}  // namespace kesu
