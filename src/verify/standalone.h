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

// What inspection found. Blocks are classified in units of `block_bytes` (4096, or the
// logical block size when larger); a partial last block counts as one block.
struct InspectReport {
  uint64_t block_bytes = 4096;
  uint64_t bytes_planned = 0, bytes_read = 0;
  uint64_t blocks = 0;                // classified
  uint64_t zero_blocks = 0;           // every byte 0x00
  uint64_t one_blocks = 0;            // every byte 0xFF
  uint64_t uniform_other_blocks = 0;  // one repeated byte other than 0x00/0xFF
  uint64_t nonuniform_blocks = 0;     // anything else: data, or a random fill
  uint64_t nonuniform_ppm = 0;        // nonuniform_blocks per million classified blocks
  uint64_t unreadable_bytes = 0;
  std::vector<uint64_t> first_nonuniform;  // offsets of the first 16 non-uniform blocks
  std::vector<std::string> signatures;     // "pttype:gpt", "fstype:ext4", "partition:sda1:ext4"
  bool appears_erased = false;
  std::string verdict;  // one line
};

Result<InspectReport> InspectTarget(Env* env, const DeviceInfo& dev, const ReadOnlyOptions& opts);

}  // namespace kesu
